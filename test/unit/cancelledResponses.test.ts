// A cancelled request answers LSP's RequestCancelled, whichever engine's handler it reached, so the
// client shows no error for work the user stopped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LSPErrorCodes } from 'vscode-languageserver/node';
import { CancelledError } from '../../server/engines/common';
import { ComputeError } from '../../server/engines/compute';
import { CostError } from '../../server/engines/cost';
import { computeResponseError } from '../../server/handlers/compute';
import { costResponseError } from '../../server/handlers/cost';

describe('cancelled compute and cost requests', () => {
  for (const [name, toResponse] of [
    ['compute', computeResponseError],
    ['cost', costResponseError],
  ] as const) {
    it(`${name}: a CancelledError becomes RequestCancelled with the engine's words`, () => {
      const response = toResponse(new CancelledError('The report'));
      assert.equal(response.code, LSPErrorCodes.RequestCancelled);
      assert.equal(response.message, 'The report was cancelled; nothing was changed.');
      assert.equal(response.data?.code, 'cancelled');
    });
  }

  it('an engine\'s own error keeps its code', () => {
    assert.equal(computeResponseError(new ComputeError('not-found', 'No run x.')).data?.code, 'not-found');
    assert.equal(costResponseError(new CostError('invalid-prices', 'bad')).data?.code, 'invalid-prices');
  });
});
