// A variable's value as a person types it (an input box, `--var name=value`): the one verdict on
// it, used by the editor's prompt (through the server), the CLI and rendering alike, so a value
// accepted while typing is never refused after the last question, and the reverse.
import { type VariableDeclaration, type VariableValue } from '../catalog';
import { coerce, refusal } from './values';

/** What the template gets from a typed answer (undefined: no value, the default applies), or why not. */
export type ValueVerdict = { readonly ok: true; readonly value: VariableValue | undefined } | { readonly ok: false; readonly problem: string };

export type TypedVariable = Pick<VariableDeclaration, 'name' | 'type' | 'required' | 'default'>;

/**
 * Reads `text` as a value of the variable's declared type. An empty answer means "no value":
 * refused when the variable is required and has no default. Anything else is checked exactly as
 * rendering checks it, and refused with the sentence rendering would use.
 */
export function readValueText(variable: TypedVariable, text: string): ValueVerdict {
  if (text.trim() === '') {
    return variable.required && variable.default === undefined ? { ok: false, problem: `Variable "${variable.name}" is required.` } : { ok: true, value: undefined };
  }
  const result = coerce(variable.type, text);
  if (typeof result === 'object' && result !== null && 'problem' in result) return { ok: false, problem: refusal(variable, text, result.problem) };
  return { ok: true, value: result };
}

