// LSP glue for checking a template variable's typed value: the engine's verdict, as it is.
import { type Connection } from 'vscode-languageserver/node';
import { readValueText } from '../engines/templates';
import { TemplateCheckValueRequest, type ValueVerdict } from '../protocol';
import { onRequest } from './connection';

export function registerTemplateValueHandlers(connection: Connection): void {
  onRequest(connection, TemplateCheckValueRequest, ({ variable, text }): ValueVerdict => {
    const verdict = readValueText(variable, text);
    if (!verdict.ok) return { ok: false, problem: verdict.problem };
    return verdict.value === undefined ? { ok: true } : { ok: true, value: verdict.value };
  });
}
