// A template entry with just the fields a test cares about.
import { type SqlDialect, type TemplateEntry, type VariableDeclaration } from '../../../server/engines/catalog/types';

export function template(body: string, variables: readonly VariableDeclaration[] = [], dialects: readonly SqlDialect[] = ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb', 'sql']): TemplateEntry {
  return {
    kind: 'template',
    id: 'test.template',
    name: 'Test template',
    description: '',
    tags: [],
    owner: 'tests',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: '1.0.0',
    templateKind: 'custom',
    dialects,
    body,
    variables,
  };
}

export function variable(name: string, type: VariableDeclaration['type'], extra: Partial<VariableDeclaration> = {}): VariableDeclaration {
  return { name, type, description: `${name} for tests`, required: extra.default === undefined, ...extra };
}
