// Adapts the crash policy to the language client: restart the server a bounded number of times,
// telling the user each time (the reporter), and give up loudly when it keeps dying.
import {
  CloseAction,
  ErrorAction,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
} from 'vscode-languageclient/node';
import { type CrashDecision, type CrashPolicy } from './crashPolicy';

export class BoundedRestartErrorHandler implements ErrorHandler {
  constructor(
    private readonly policy: CrashPolicy,
    private readonly report: (decision: CrashDecision) => void,
  ) {}

  /** Transport errors are usually followed by close(); keep the connection until then. */
  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const decision = this.policy.recordCrash();
    this.report(decision);
    return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
  }
}
