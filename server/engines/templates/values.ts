// Checks the values a user supplies against the template's declared variables, before anything
// renders: every missing required variable named at once, unknown ones refused, each value
// coerced to its type or refused with the variable and the value in the message.
import { type VariableDeclaration, type VariableType, type VariableValue } from '../catalog';
import { TemplateError } from './errors';
import { parseIdentifier } from './identifiers';
import { DIALECT_VARIABLE } from './parse';

export const MAX_LIST_ITEMS = 1000;
export const MAX_STRING_CHARS = 10_000;

/** A value ready for the template: lists as arrays, numbers and booleans as such. */
export type ResolvedValue = string | number | boolean | readonly string[] | undefined;

/**
 * Resolves every declared variable from `values`, falling back to its default. An optional
 * variable with neither is present as undefined, so `{{#if name}}` works on it.
 */
export function resolveValues(declarations: readonly VariableDeclaration[], values: Readonly<Record<string, VariableValue | undefined>>): Map<string, ResolvedValue> {
  const declared = new Set(declarations.map((declaration) => declaration.name));
  const unknown = Object.keys(values).filter((name) => !declared.has(name) && values[name] !== undefined);
  if (unknown.length > 0) {
    const hint = unknown.includes(DIALECT_VARIABLE) ? ' (the dialect is chosen in the render options, not as a value)' : '';
    throw new TemplateError('unknown-variable', `The template does not declare ${listNames(unknown)}${hint}.`, { variables: unknown });
  }
  const missing = declarations.filter((declaration) => declaration.required && value(values, declaration.name) === undefined && declaration.default === undefined);
  if (missing.length > 0) {
    const names = missing.map((declaration) => declaration.name);
    throw new TemplateError('missing-variable', `Missing required ${names.length === 1 ? 'variable' : 'variables'}: ${names.join(', ')}.`, { variables: names });
  }
  const resolved = new Map<string, ResolvedValue>();
  const problems: string[] = [];
  const invalid: string[] = [];
  for (const declaration of declarations) {
    const given = value(values, declaration.name) ?? declaration.default;
    if (given === undefined) {
      resolved.set(declaration.name, undefined);
      continue;
    }
    const result = coerce(declaration.type, given);
    if (typeof result === 'object' && result !== null && 'problem' in result) {
      invalid.push(declaration.name);
      problems.push(refusal(declaration, given, result.problem));
    } else {
      resolved.set(declaration.name, result);
    }
  }
  if (problems.length > 0) throw new TemplateError('invalid-value', problems.join(' '), { variables: invalid });
  return resolved;
}

/** Coerces a value to a declared type, or says why it does not fit. */
export function coerce(type: VariableType, given: VariableValue): Exclude<ResolvedValue, undefined> | { problem: string } {
  switch (type) {
    case 'identifier': {
      if (typeof given !== 'string') return { problem: 'an identifier is a name, written as text' };
      // Spaces around a typed name are never part of it ("a b" inside quotes keeps its space).
      const name = given.trim();
      const parsed = parseIdentifier(name);
      return 'problem' in parsed ? { problem: `${parsed.problem}; an identifier is letters, digits and underscores, not starting with a digit, optionally dotted (schema.table) or "quoted"` } : name;
    }
    case 'column_list': {
      const items = typeof given === 'string' ? given.split(',').map((item) => item.trim()) : given;
      if (!Array.isArray(items)) return { problem: 'a column list is a list of column names, or a comma-separated string of them' };
      if (items.length === 0 || (items.length === 1 && items[0] === '')) return { problem: 'it needs at least one column' };
      if (items.length > MAX_LIST_ITEMS) return { problem: `it has more than ${MAX_LIST_ITEMS} columns` };
      for (const item of items as unknown[]) {
        if (typeof item !== 'string') return { problem: 'every column must be a name, written as text' };
        const parsed = parseIdentifier(item);
        if ('problem' in parsed) return { problem: `column ${JSON.stringify(item)} is not a safe identifier: ${parsed.problem}` };
      }
      return [...(items as string[])];
    }
    case 'number': {
      const number = typeof given === 'string' && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(given) ? Number(given) : given;
      if (typeof number !== 'number' || !Number.isFinite(number)) return { problem: 'it must be a finite number' };
      return number;
    }
    case 'boolean': {
      if (typeof given === 'boolean') return given;
      // Text as a person types it: True, FALSE and " true " all mean what they say.
      const word = typeof given === 'string' ? given.trim().toLowerCase() : undefined;
      if (word === 'true' || word === 'false') return word === 'true';
      return { problem: 'it must be true or false' };
    }
    case 'string': {
      if (typeof given !== 'string' && typeof given !== 'number' && typeof given !== 'boolean') return { problem: 'it must be text' };
      const text = String(given);
      if (text.includes('\u0000')) return { problem: 'it contains a NUL character' };
      if (text.length > MAX_STRING_CHARS) return { problem: `it is longer than ${MAX_STRING_CHARS} characters` };
      return text;
    }
  }
}

/** The sentence every caller shows for a refused value: the variable, its type, the value and why. */
export function refusal(declaration: Pick<VariableDeclaration, 'name' | 'type'>, given: VariableValue, problem: string): string {
  return `Variable "${declaration.name}" (${declaration.type}) cannot be ${preview(given)}: ${problem}.`;
}

function value(values: Readonly<Record<string, VariableValue | undefined>>, name: string): VariableValue | undefined {
  return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}

function listNames(names: readonly string[]): string {
  return names.length === 1 ? `a variable "${names[0] ?? ''}"` : `variables ${names.map((name) => `"${name}"`).join(', ')}`;
}

function preview(given: VariableValue): string {
  const text = typeof given === 'number' ? String(given) : JSON.stringify(given);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
