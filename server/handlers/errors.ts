// What every engine's handlers answer for a failure that is not the engine's own coded error: an
// engine that is not running (it says why), or anything else as an internal error with its message.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { EngineUnavailableError } from '../runtime';

export function genericResponseError<D extends { code: string }>(error: unknown): ResponseError<D> {
  if (error instanceof EngineUnavailableError) return new ResponseError(ErrorCodes.InternalError, error.message, { code: 'engine-unavailable' } as D);
  return new ResponseError(ErrorCodes.InternalError, error instanceof Error ? error.message : String(error), { code: 'internal' } as D);
}
