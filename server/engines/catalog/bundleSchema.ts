// JSON schema of an export bundle. Import checks the whole bundle against it before touching the
// catalog, so an error names the bad field's path and nothing is half-applied. A field is required
// here exactly when registering requires it; the others get register's defaults (a unit test
// holds the two together).
import { SQL_DIALECTS, TEMPLATE_KINDS, VARIABLE_TYPES } from './types';

export const BUNDLE_FORMAT = 'neurolake-catalog-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

const text = { type: 'string', maxLength: 1_000_000 } as const;
const tags = { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 200 } as const;

const common = {
  id: { type: 'string', minLength: 1, maxLength: 200 },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: text,
  tags,
  owner: { type: 'string', maxLength: 200 },
  createdAt: { type: 'string', maxLength: 40 },
  updatedAt: { type: 'string', maxLength: 40 },
  version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
} as const;
const commonRequired = ['id', 'kind', 'name', 'version', 'createdAt', 'updatedAt'] as const;

const variable = {
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    type: { enum: VARIABLE_TYPES },
    description: text,
    required: { type: 'boolean' },
    default: { type: ['string', 'number', 'boolean', 'array'], items: { type: 'string' } },
  },
  additionalProperties: false,
} as const;

const entry = {
  type: 'object',
  required: [...commonRequired],
  // The discriminator makes errors speak of the entry's own kind instead of "must match oneOf".
  discriminator: { propertyName: 'kind' },
  oneOf: [
    {
      properties: { ...common, kind: { const: 'pipeline' }, logic: { type: 'object' } },
      required: ['logic'],
    },
    {
      properties: { ...common, kind: { const: 'businessLogic' }, expression: text, domain: text },
      required: ['expression'],
    },
    {
      properties: {
        ...common,
        kind: { const: 'template' },
        templateKind: { enum: TEMPLATE_KINDS },
        dialects: { type: 'array', minItems: 1, items: { enum: SQL_DIALECTS } },
        body: text,
        variables: { type: 'array', items: variable, maxItems: 200 },
      },
      // As registering: templateKind defaults to custom, dialects to [sql], variables to none.
      required: ['body'],
    },
  ],
} as const;

export const bundleSchema = {
  type: 'object',
  required: ['format', 'formatVersion', 'entries'],
  properties: {
    format: { const: BUNDLE_FORMAT },
    formatVersion: { type: 'integer', minimum: 1 },
    exportedAt: { type: 'string' },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['versions'],
        properties: {
          versions: { type: 'array', minItems: 1, items: entry },
          deprecated: { type: 'object', required: ['reason', 'at'], properties: { reason: text, at: { type: 'string' } } },
        },
      },
    },
  },
} as const;
