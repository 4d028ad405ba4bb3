// Checking a template variable's value as a person types it: the engine's one verdict, asked by
// the extension while the user answers Insert into Editor's questions.
// Method strings are written here and nowhere else.
import type { VariableType, VariableValue } from './catalogEntry';
import { request } from './descriptors';

/** A declared variable, as much of it as the check needs. */
export interface CheckedVariable {
  readonly name: string;
  readonly type: VariableType;
  readonly required: boolean;
  readonly default?: VariableValue;
}

/** The verdict on a typed value: the value the template gets (none: its default applies), or why it is refused. */
export type ValueVerdict = { readonly ok: true; readonly value?: VariableValue } | { readonly ok: false; readonly problem: string };

/**
 * Sent by "Insert into Editor" while the user types each variable's value (its input box's
 * validation), and once more for the answer: the engine's verdict, the same one rendering and
 * `neurolake template render --var` give.
 */
export const TemplateCheckValueRequest = request<{ variable: CheckedVariable; text: string }, ValueVerdict>('neurolake/template/checkValue');
