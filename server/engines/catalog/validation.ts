// Checks and normalises what people type into the catalog, naming the field that is wrong.
import { checkTemplate } from '../templates';
import { CatalogError } from './errors';
import {
  SQL_DIALECTS,
  TEMPLATE_KINDS,
  VARIABLE_TYPES,
  type CatalogEntry,
  type EntryKind,
  type TemplateEntry,
  type VariableDeclaration,
  type VariableValue,
} from './types';

export const MAX_NAME_LENGTH = 200;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TAG = /^[a-z0-9][a-z0-9_.:-]{0,49}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The fields a person edits; the catalog adds id, version, times and flags. */
export type EntryContent = DistributiveOmit<CatalogEntry, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deprecated' | 'deletedAt' | 'builtin'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function fail(path: string, message: string): never {
  throw new CatalogError('invalid-entry', `${path} ${message}`, path);
}

function text(value: unknown, path: string, { required = false, max = 10_000 } = {}): string {
  if (value === undefined || value === null) {
    if (required) fail(path, 'is required.');
    return '';
  }
  if (typeof value !== 'string') fail(path, 'must be text.');
  const trimmed = value.trim();
  if (required && trimmed === '') fail(path, 'must not be empty.');
  if (trimmed.length > max) fail(path, `is longer than ${max} characters.`);
  return trimmed;
}

export function normaliseName(value: unknown, path = 'name'): string {
  const name = text(value, path, { required: true, max: MAX_NAME_LENGTH });
  if (CONTROL.test(name)) fail(path, 'must not contain control characters.');
  return name;
}

export function normaliseTags(value: unknown, path = 'tags'): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list)) fail(path, 'must be a list of tags.');
  const tags = list.map((tag, index) => {
    if (typeof tag !== 'string') fail(`${path}[${index}]`, 'must be text.');
    const normal = tag.trim().toLowerCase();
    if (!TAG.test(normal)) fail(`${path}[${index}]`, `"${tag}" is not a tag: use letters, digits and _ . : - (at most 50).`);
    return normal;
  });
  return [...new Set(tags)];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(path, `must be one of ${allowed.join(', ')}${value === undefined ? '' : `, not ${JSON.stringify(value)}`}.`);
  }
  return value as T;
}

function defaultMatches(type: VariableDeclaration['type'], value: unknown): value is VariableValue {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'column_list':
      return Array.isArray(value) ? value.every((v) => typeof v === 'string') : typeof value === 'string';
    case 'identifier':
    case 'string':
      return typeof value === 'string';
  }
}

function normaliseVariables(value: unknown, path = 'variables'): VariableDeclaration[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, 'must be a list of variable declarations.');
  const seen = new Set<string>();
  return value.map((raw: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof raw !== 'object' || raw === null) fail(at, 'must be an object with name and type.');
    const v = raw as Record<string, unknown>;
    const name = text(v['name'], `${at}.name`, { required: true, max: 100 });
    if (!IDENTIFIER.test(name)) fail(`${at}.name`, `"${name}" is not a valid variable name (letters, digits, _; not starting with a digit).`);
    if (name === 'dialect') fail(`${at}.name`, '"dialect" is reserved: every template receives the dialect it is rendered for.');
    if (seen.has(name)) fail(`${at}.name`, `"${name}" is declared twice.`);
    seen.add(name);
    const type = oneOf(v['type'], VARIABLE_TYPES, `${at}.type`);
    const declaration: VariableDeclaration = {
      name,
      type,
      description: text(v['description'], `${at}.description`, { max: 1000 }),
      required: v['required'] === undefined ? v['default'] === undefined : v['required'] === true,
      ...(v['default'] === undefined ? {} : { default: v['default'] as VariableValue }),
    };
    if (v['default'] !== undefined && !defaultMatches(type, v['default'])) fail(`${at}.default`, `does not match the type ${type}.`);
    return declaration;
  });
}

/**
 * A template the renderer would refuse whatever the values (a syntax error, a partial, a prototype
 * name, a helper that does not exist, a variable it uses but does not declare) is refused when it
 * is saved, with the renderer's own words, rather than every time someone tries to use it.
 */
function refuseUnrenderable(template: Pick<TemplateEntry, 'body' | 'variables'>): void {
  const problem = checkTemplate(template).problems[0];
  if (problem === undefined) return;
  const index = problem.code === 'invalid-declaration' ? template.variables.findIndex((v) => v.name === problem.variable) : -1;
  fail(index >= 0 ? `variables[${index}]` : 'body', `can never render: ${problem.message}`);
}

/** Deeper logic than this cannot be saved, compared or shown without exhausting the stack; no real pipeline comes near it. */
export const MAX_LOGIC_DEPTH = 64;

/** Whether `value` nests objects and lists deeper than `limit`. Walks with its own stack: recursing is what a too-deep value breaks. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** Validates an entry's editable content for its kind; throws CatalogError naming the field. */
export function normaliseContent(kind: unknown, raw: Record<string, unknown>, defaultOwner: string): EntryContent {
  const entryKind = oneOf(kind, ['pipeline', 'businessLogic', 'template'] as readonly EntryKind[], 'kind');
  const common = {
    name: normaliseName(raw['name']),
    description: text(raw['description'], 'description'),
    tags: normaliseTags(raw['tags']),
    owner: text(raw['owner'], 'owner', { max: 200 }) || defaultOwner,
  };
  switch (entryKind) {
    case 'pipeline': {
      const logic = raw['logic'];
      if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) fail('logic', 'must be an object such as {"source": …, "transformations": […], "target": …}.');
      if (nestedDeeperThan(logic, MAX_LOGIC_DEPTH)) fail('logic', `is nested more than ${MAX_LOGIC_DEPTH} levels deep; flatten it.`);
      return { kind: 'pipeline', ...common, logic: logic as Record<string, unknown> };
    }
    case 'businessLogic':
      return {
        kind: 'businessLogic',
        ...common,
        expression: text(raw['expression'], 'expression', { required: true, max: 100_000 }),
        domain: text(raw['domain'], 'domain', { max: 200 }),
      };
    case 'template': {
      const dialects = raw['dialects'] === undefined ? ['sql'] : raw['dialects'];
      if (!Array.isArray(dialects) || dialects.length === 0) fail('dialects', 'must list at least one SQL dialect.');
      const template = {
        kind: 'template' as const,
        ...common,
        templateKind: raw['templateKind'] === undefined ? 'custom' : oneOf(raw['templateKind'], TEMPLATE_KINDS, 'templateKind'),
        dialects: [...new Set(dialects.map((d, i) => oneOf(d, SQL_DIALECTS, `dialects[${i}]`)))],
        body: text(raw['body'], 'body', { required: true, max: 1_000_000 }),
        variables: normaliseVariables(raw['variables']),
      };
      refuseUnrenderable(template);
      return template;
    }
  }
}
