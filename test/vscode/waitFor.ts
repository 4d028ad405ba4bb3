// Waiting on VS Code events with a deadline: a test that waits for something that never happens
// fails with a sentence saying what did not happen, instead of hanging until mocha's timeout.
import type * as vscode from 'vscode';

/** Resolves with the first value of `event` that satisfies `predicate`, or rejects after `ms`. */
export function waitFor<T>(event: vscode.Event<T>, predicate: (value: T) => boolean, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${what} (waited ${ms / 1000} s)`));
    }, ms);
    const subscription = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}
