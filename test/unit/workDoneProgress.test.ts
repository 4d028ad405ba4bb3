// What a VS Code progress notification shows for the server's work-done progress.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkDoneFollower, type ProgressStep } from '../../src/workDoneProgress';
import type { WorkDoneProgressValue } from '../../server/protocol';

function follow(values: WorkDoneProgressValue[]): (ProgressStep | undefined)[] {
  const follower = new WorkDoneFollower();
  return values.map((value) => follower.next(value));
}

describe('WorkDoneFollower', () => {
  it('turns percentages so far into the increments VS Code adds up, with the messages', () => {
    assert.deepEqual(
      follow([
        { kind: 'begin', title: 'Importing the catalog bundle', percentage: 0, cancellable: true },
        { kind: 'report', message: 'Reading the bundle' },
        { kind: 'report', percentage: 0, message: 'Checking entries: 0 of 200' },
        { kind: 'report', percentage: 25, message: 'Checking entries: 50 of 200' },
        { kind: 'report', percentage: 100, message: 'Checking entries: 200 of 200' },
        { kind: 'report', message: 'Saving the imported entries' },
        { kind: 'end' },
      ]),
      [
        undefined,
        { message: 'Reading the bundle' },
        { message: 'Checking entries: 0 of 200' },
        { message: 'Checking entries: 50 of 200', increment: 25 },
        { message: 'Checking entries: 200 of 200', increment: 75 },
        { message: 'Saving the imported entries' },
        undefined,
      ],
    );
  });

  it('holds the bar when a new phase starts again from 0, and moves it once that phase passes it', () => {
    assert.deepEqual(
      follow([
        { kind: 'report', percentage: 60, message: 'Uploading: 60%' },
        { kind: 'report', percentage: 10, message: 'Verifying: 10%' },
        { kind: 'report', percentage: 80, message: 'Verifying: 80%' },
      ]),
      [{ message: 'Uploading: 60%', increment: 60 }, { message: 'Verifying: 10%' }, { message: 'Verifying: 80%', increment: 20 }],
    );
  });
});
