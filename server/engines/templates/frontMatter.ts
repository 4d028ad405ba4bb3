// A template file's front matter: a leading `{{!-- neurolake { … } --}}` comment holding JSONC
// that declares the template's variables (or names a catalog template whose declarations apply).
// Read with exact offsets, so diagnostics and go-to-definition land on the right characters; and
// the edit that declares one more variable, creating the front matter when there is none.
import { modify, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { SQL_DIALECTS, type SqlDialect, type VariableDeclaration, type VariableType, type VariableValue } from '../catalog';

/** `{{!--` + optional `~`, the word `neurolake`, then the JSON up to `--}}`. */
const OPENING = /^(\uFEFF?\s*)\{\{~?!--[ \t]*neurolake\b/;
const CLOSING = /--~?\}\}/g;
const KNOWN_KEYS = new Set(['name', 'description', 'dialects', 'variables', 'catalog']);
const DECLARATION_KEYS = new Set(['name', 'type', 'description', 'default', 'required']);

/** Offsets into the document, half-open. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type FrontMatterProblemCode = 'front-matter-syntax' | 'invalid-front-matter';

export interface FrontMatterProblem {
  readonly code: FrontMatterProblemCode;
  readonly message: string;
  readonly span: Span;
  /** Not fatal: an unknown key, say. */
  readonly warning?: boolean;
}

export interface DeclaredVariable {
  readonly declaration: VariableDeclaration;
  /** The whole `{ … }` of the declaration. */
  readonly span: Span;
  /** The variable's name inside its quotes: where go-to-definition lands. */
  readonly nameSpan: Span;
  readonly typeSpan: Span | undefined;
  readonly defaultSpan: Span | undefined;
}

export interface FrontMatter {
  /** The whole comment, `{{!--` to `--}}` (to the end of the text when unclosed). */
  readonly span: Span;
  readonly closed: boolean;
  /** The JSON between `neurolake` and `--}}`. */
  readonly json: Span;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly dialects: readonly SqlDialect[];
  readonly variables: readonly DeclaredVariable[];
  /** `{ "catalog": "…" }`: the id or name of the catalog template whose declarations apply. */
  readonly catalog: { readonly ref: string; readonly span: Span } | undefined;
  readonly problems: readonly FrontMatterProblem[];
  /** The `variables` array, when present: where a new declaration goes. */
  readonly variablesArray: Span | undefined;
  /** Every item of that array, declarations or not. */
  readonly variableItems: readonly Span[];
}

/** The front matter of a template file, or undefined when the text does not start with one. */
export function parseFrontMatter(text: string): FrontMatter | undefined {
  const opening = OPENING.exec(text.slice(0, 4096));
  if (!opening) return undefined;
  const start = opening[1]?.length ?? 0;
  const jsonStart = opening[0].length;
  CLOSING.lastIndex = jsonStart;
  const closing = CLOSING.exec(text);
  const jsonEnd = closing ? closing.index : text.length;
  const span = { start, end: closing ? closing.index + closing[0].length : text.length };
  const problems: FrontMatterProblem[] = [];
  const result = {
    span,
    closed: closing !== null,
    json: { start: jsonStart, end: jsonEnd },
    name: undefined as string | undefined,
    description: undefined as string | undefined,
    dialects: [] as SqlDialect[],
    variables: [] as DeclaredVariable[],
    catalog: undefined as FrontMatter['catalog'],
    problems,
    variablesArray: undefined as Span | undefined,
    variableItems: [] as Span[],
  };
  if (!closing) {
    problems.push({ code: 'front-matter-syntax', message: 'The front matter is not closed: end it with --}}.', span: { start, end: jsonStart } });
  }
  const json = text.slice(jsonStart, jsonEnd);
  const at = (node: Node): Span => ({ start: jsonStart + node.offset, end: jsonStart + node.offset + node.length });
  const errors: ParseError[] = [];
  const root = parseTree(json, errors, { allowTrailingComma: true, disallowComments: false });
  for (const error of errors) {
    problems.push({
      code: 'front-matter-syntax',
      message: `Front matter JSON: ${describeJsonError(printParseErrorCode(error.error))}.`,
      span: { start: jsonStart + error.offset, end: jsonStart + error.offset + Math.max(error.length, 0) },
    });
  }
  if (root === undefined) {
    if (errors.length === 0) problems.push({ code: 'invalid-front-matter', message: 'The front matter is empty: write { "variables": [ … ] } or { "catalog": "<id or name>" }.', span: { start, end: jsonStart } });
    return result;
  }
  if (root.type !== 'object') {
    problems.push({ code: 'invalid-front-matter', message: 'The front matter must be a JSON object: { "variables": [ … ] } or { "catalog": "<id or name>" }.', span: at(root) });
    return result;
  }
  const invalid = (message: string, node: Node, warning = false): void => {
    problems.push({ code: 'invalid-front-matter', message, span: at(node), ...(warning ? { warning } : {}) });
  };
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode === undefined) continue;
    const key = String(keyNode.value);
    if (!KNOWN_KEYS.has(key)) {
      invalid(`Unknown front matter key "${key}": NeuroLake reads name, description, dialects, variables and catalog.`, keyNode, true);
      continue;
    }
    if (valueNode === undefined) continue;
    switch (key) {
      case 'name':
      case 'description':
        if (valueNode.type !== 'string') invalid(`"${key}" must be a string.`, valueNode);
        else result[key] = String(valueNode.value);
        break;
      case 'catalog':
        if (valueNode.type !== 'string' || String(valueNode.value).trim() === '') invalid('"catalog" must be the id or name of a catalog template.', valueNode);
        else result.catalog = { ref: String(valueNode.value), span: at(valueNode) };
        break;
      case 'dialects':
        if (valueNode.type !== 'array') {
          invalid(`"dialects" must be a list of ${SQL_DIALECTS.join(', ')}.`, valueNode);
          break;
        }
        for (const item of valueNode.children ?? []) {
          if (item.type === 'string' && SQL_DIALECTS.includes(item.value as SqlDialect)) result.dialects.push(item.value as SqlDialect);
          else invalid(`Unknown dialect ${JSON.stringify(item.value ?? null)}: NeuroLake knows ${SQL_DIALECTS.join(', ')}.`, item);
        }
        break;
      case 'variables':
        if (valueNode.type !== 'array') {
          invalid('"variables" must be a list of { "name", "type", "description", "default", "required" }.', valueNode);
          break;
        }
        result.variablesArray = at(valueNode);
        for (const item of valueNode.children ?? []) {
          result.variableItems.push(at(item));
          const declared = readDeclaration(item, at, invalid);
          if (declared !== undefined) result.variables.push(declared);
        }
        break;
    }
  }
  if (result.catalog !== undefined && result.variablesArray !== undefined) {
    invalid('Either name a catalog template ("catalog") or declare "variables", not both: the catalog template\'s declarations would be ignored.', root);
  }
  return result;
}

function readDeclaration(item: Node, at: (node: Node) => Span, invalid: (message: string, node: Node, warning?: boolean) => void): DeclaredVariable | undefined {
  if (item.type !== 'object') {
    invalid('A variable is declared as { "name": "…", "type": "identifier" }.', item);
    return undefined;
  }
  const fields = new Map<string, { key: Node; value: Node | undefined }>();
  for (const property of item.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key === undefined) continue;
    const name = String(key.value);
    if (!DECLARATION_KEYS.has(name)) invalid(`Unknown key "${name}" in a variable declaration: use name, type, description, default and required.`, key, true);
    fields.set(name, { key, value });
  }
  const nameNode = fields.get('name')?.value;
  if (nameNode?.type !== 'string') {
    invalid('This variable has no "name" (a string).', nameNode ?? item);
    return undefined;
  }
  const typeNode = fields.get('type')?.value;
  const descriptionNode = fields.get('description')?.value;
  const defaultNode = fields.get('default')?.value;
  const requiredNode = fields.get('required')?.value;
  if (typeNode === undefined) invalid(`Variable "${String(nameNode.value)}" has no "type": one of identifier, column_list, string, number, boolean.`, nameNode);
  else if (typeNode.type !== 'string') invalid('"type" must be a string: identifier, column_list, string, number or boolean.', typeNode);
  if (descriptionNode !== undefined && descriptionNode.type !== 'string') invalid('"description" must be a string.', descriptionNode);
  if (requiredNode !== undefined && requiredNode.type !== 'boolean') invalid('"required" must be true or false.', requiredNode);
  const defaultValue = defaultNode === undefined ? undefined : nodeValue(defaultNode);
  if (defaultNode !== undefined && defaultValue === undefined) invalid('"default" must be a string, number, boolean or list of strings.', defaultNode);
  const declaration: VariableDeclaration = {
    name: String(nameNode.value),
    // An unknown type is kept as written: checkTemplate names it, and the diagnostic lands on it.
    type: (typeNode?.type === 'string' ? String(typeNode.value) : 'identifier') as VariableType,
    description: descriptionNode?.type === 'string' ? String(descriptionNode.value) : '',
    required: requiredNode?.type === 'boolean' ? requiredNode.value === true : defaultValue === undefined,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  };
  const nameSpan = at(nameNode);
  return {
    declaration,
    span: at(item),
    nameSpan: { start: nameSpan.start + 1, end: Math.max(nameSpan.start + 1, nameSpan.end - 1) },
    typeSpan: typeNode === undefined ? undefined : at(typeNode),
    defaultSpan: defaultNode === undefined ? undefined : at(defaultNode),
  };
}

function nodeValue(node: Node): VariableValue | undefined {
  switch (node.type) {
    case 'string':
      return String(node.value);
    case 'number':
      return Number(node.value);
    case 'boolean':
      return node.value === true;
    case 'array': {
      const items = (node.children ?? []).map((child) => (child.type === 'string' ? String(child.value) : undefined));
      return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
    }
    default:
      return undefined;
  }
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected a colon',
    CommaExpected: 'expected a comma',
    CloseBraceExpected: 'expected }',
    CloseBracketExpected: 'expected ]',
    EndOfFileExpected: 'unexpected text after the object',
    InvalidCommentToken: 'malformed comment',
    UnexpectedEndOfComment: 'unclosed comment',
    UnexpectedEndOfString: 'unclosed string',
    UnexpectedEndOfNumber: 'unfinished number',
    InvalidUnicode: 'malformed \\u escape',
    InvalidEscapeCharacter: 'malformed escape',
    InvalidCharacter: 'unexpected control character in a string',
  };
  return words[code] ?? code;
}

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/**
 * The edits that declare `name` in the front matter: appended to `variables`, or a new front
 * matter at the top when there is none. Undefined when the front matter cannot take it (it names
 * a catalog template, or its JSON does not parse).
 */
export function declareVariableEdits(text: string, frontMatter: FrontMatter | undefined, variable: Omit<VariableDeclaration, 'required'>, eol = '\n'): TextEdit[] | undefined {
  const declaration = { name: variable.name, type: variable.type, description: variable.description, ...(variable.default === undefined ? {} : { default: variable.default }) };
  if (frontMatter === undefined) {
    const body = JSON.stringify({ variables: [declaration] }, null, 2).replaceAll('\n', eol);
    return [{ span: { start: 0, end: 0 }, newText: `{{!-- neurolake${eol}${body}${eol}--}}${eol}` }];
  }
  if (frontMatter.catalog !== undefined || frontMatter.problems.some((problem) => problem.code === 'front-matter-syntax')) return undefined;
  const last = frontMatter.variableItems.at(-1);
  if (last !== undefined) {
    // After the last declaration, on a line of its own, written the way one-line declarations are.
    const lineStart = text.lastIndexOf('\n', last.start) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, last.start))?.[0] ?? '';
    const oneLine = `{ ${Object.entries(declaration).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')} }`;
    return [{ span: { start: last.end, end: last.end }, newText: `,${eol}${indent}${oneLine}` }];
  }
  const json = text.slice(frontMatter.json.start, frontMatter.json.end);
  const indent = /\n([ \t]+)"/.exec(json)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol };
  const edits = modify(json, ['variables'], [declaration], { formattingOptions });
  return edits.map((edit) => ({ span: { start: frontMatter.json.start + edit.offset, end: frontMatter.json.start + edit.offset + edit.length }, newText: edit.content }));
}
