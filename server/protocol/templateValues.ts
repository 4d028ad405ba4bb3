// Template variables on the wire: the one check of a value as a person types it, and the lists
// of entry kinds, SQL dialects, variable types and template kinds the extension's pickers offer.
// The engine keeps the same lists (server/engines/catalog/types.ts); a unit test holds them equal.
// Method strings are written here and nowhere else.
import { RequestType } from 'vscode-languageserver-protocol';
import type { VariableValue } from './catalog';

export const ENTRY_KINDS = ['pipeline', 'businessLogic', 'template'] as const;
export const SQL_DIALECTS = ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb', 'sql'] as const;
export const VARIABLE_TYPES = ['identifier', 'column_list', 'string', 'number', 'boolean'] as const;
export const TEMPLATE_KINDS = ['etl', 'data_quality', 'scd', 'dedup', 'custom'] as const;

export type VariableType = (typeof VARIABLE_TYPES)[number];

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
export namespace TemplateCheckValueRequest {
  export const method = 'neurolake/template/checkValue' as const;
  export const type = new RequestType<{ variable: CheckedVariable; text: string }, ValueVerdict, void>(method);
}
