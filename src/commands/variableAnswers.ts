// What "Insert into Editor" makes of the answers to its questions, one per template variable.
// The verdict on each answer is the engine's (asked through the server), so the prompt refuses
// exactly what rendering would refuse. No vscode here: tests run it against a real server.
import { type CheckedVariable, type ValueVerdict, type VariableValue } from '../../server/protocol';

/** Asks the engine for its verdict on a typed value (the TemplateCheckValueRequest). */
export type CheckValue = (params: { variable: CheckedVariable; text: string }) => Promise<ValueVerdict>;

type Variable = CheckedVariable & { readonly description?: string };

/** The input box's validation: the engine's reason for refusing `text`, or undefined when it fits. */
export async function validateValue(check: CheckValue, variable: Variable, text: string): Promise<string | undefined> {
  try {
    const verdict = await check({ variable: checked(variable), text });
    return verdict.ok ? undefined : verdict.problem;
  } catch (error) {
    // The server is down or restarting: say so rather than let a bad value through unchecked.
    return `The value cannot be checked now: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The value an accepted answer gives the template; undefined: none, so its default applies. */
export async function answerValue(check: CheckValue, variable: Variable, text: string): Promise<VariableValue | undefined> {
  const verdict = await check({ variable: checked(variable), text });
  if (!verdict.ok) throw new Error(verdict.problem);
  return verdict.value;
}

/** The default as the input box shows it pre-filled: lists comma-separated, as they are typed. */
export function defaultText(variable: Pick<Variable, 'default'>): string {
  const value = variable.default;
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The input box's prompt line: what the variable is for, its type, and whether it must be given. */
export function valuePrompt(variable: Variable): string {
  return `${variable.description || variable.name} — ${variable.type.replace('_', ' ')}${variable.required ? ', required' : ''}`;
}

/** Only what the check reads; the description stays home. */
function checked(variable: Variable): CheckedVariable {
  return { name: variable.name, type: variable.type, required: variable.required, ...(variable.default === undefined ? {} : { default: variable.default }) };
}
