// An entry's editable document and back: what the user edits is what a save sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryDocument, parseEntryDocument } from '../../../src/catalogEntryText';
import { type CatalogEntry } from '../../../server/protocol';

const entry: CatalogEntry = {
  kind: 'template',
  id: '0b9f6d0e-3c9a-4c55-9d38-4ab1c3f1f001',
  name: 'orders_by_day',
  description: 'Orders per day',
  tags: ['orders'],
  owner: 'ana',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  version: '1.2.0',
  deprecated: { reason: 'use orders_by_hour', at: '2026-01-03T00:00:00.000Z' },
  templateKind: 'etl',
  dialects: ['postgresql'],
  body: 'SELECT *\nFROM {{ident table}}',
  variables: [{ name: 'table', type: 'identifier', description: 'orders table', required: true }],
};

describe('an entry as an editable document', () => {
  it('shows a header naming the entry, the body as lines, and no managed fields', () => {
    const text = entryDocument(entry);
    const [first, second, third] = text.split('\n');
    assert.equal(first, `// orders_by_day — template (id ${entry.id})`);
    assert.match(second ?? '', /^\/\/ Edit and save/);
    assert.equal(third, '// Deprecated: use orders_by_hour');
    assert.match(text, /"body": \[\n {4}"SELECT \*",\n {4}"FROM \{\{ident table\}\}"\n {2}\]/);
    for (const managed of ['"id"', '"version"', '"createdAt"', '"deprecated"']) assert.ok(!text.includes(managed), `${managed} is editable in:\n${text}`);
    assert.match(entryDocument(entry, 'built-ins are read-only').split('\n')[1] ?? '', /^\/\/ Read-only: built-ins are read-only$/);
  });

  it('reads back the edited fields, the body joined again, managed fields dropped', () => {
    const edited = entryDocument(entry).replace('"Orders per day"', '"Orders per calendar day"').replace('\n}\n', ',\n  "version": "9.9.9",\n}\n');
    const changes = parseEntryDocument(edited);
    assert.equal(changes['description'], 'Orders per calendar day');
    assert.equal(changes['body'], entry.body);
    assert.equal(changes['version'], undefined, 'a managed field typed into the document was kept');
    assert.deepEqual(changes['variables'], entry.variables);
  });

  it('names the line of a syntax error, and refuses anything but one object', () => {
    const broken = entryDocument(entry).replace('"Orders per day",', '"Orders per day"');
    // The parser stops at the token after the missing comma: "tags", on the next line.
    const tagsLine = broken.split('\n').findIndex((line) => line.includes('"tags"')) + 1;
    assert.throws(() => parseEntryDocument(broken), new RegExp(`^Error: line ${tagsLine}: CommaExpected$`));
    assert.throws(() => parseEntryDocument('[1, 2]'), /the document must be one JSON object/);
  });
});
