// The built-in SCD2 (timestamp) as the suites insert it: its values, and the SQL PostgreSQL
// formatting must produce for them, part by part.

/** Values for every variable of the SCD2 (timestamp) built-in, the optional ones at their defaults. */
export const SCD2_VALUES = {
  target: 'analytics.dim_customer',
  source: 'staging.customers',
  unique_key: ['customer_id'],
  value_columns: ['name', 'email', 'updated_at'],
  updated_at: 'updated_at',
  valid_from: 'valid_from',
  valid_to: 'valid_to',
  is_current: 'is_current',
};

/** Parts of the SCD2 SQL for those values, each exactly as PostgreSQL formatting lays it out. */
export const SCD2_PARTS = [
  '-- SCD Type 2 of analytics.dim_customer from staging.customers: a key changed when its updated_at is newer than the current version.\n' +
    '-- The source must hold one row per key (see the deduplication template).\n' +
    'BEGIN;\n',
  [
    'UPDATE analytics.dim_customer AS t',
    'SET',
    '  valid_to = s.updated_at,',
    '  is_current = FALSE',
    'FROM',
    '  staging.customers AS s',
    'WHERE',
    '  t.customer_id = s.customer_id',
    '  AND t.is_current',
    '  AND s.updated_at > t.valid_from;',
  ].join('\n'),
  'INSERT INTO\n  analytics.dim_customer (\n    customer_id,\n    name,\n    email,\n    updated_at,\n    valid_from,\n    valid_to,\n    is_current\n  )',
  'SELECT\n  s.customer_id,\n  s.name,\n  s.email,\n  s.updated_at,\n  s.updated_at,\n  NULL,\n  TRUE\nFROM\n  staging.customers AS s',
  '\nCOMMIT;',
];
