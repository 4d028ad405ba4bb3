// A catalog template rendered as an editor snippet: the formatted SQL with each variable a tab
// stop (`${1:customer_id}`), the same variable always the same stop, numbered in the order the
// SQL first uses them. The template is rendered once with a unique marker per variable, then the
// markers become tab stops; a helper that refuses a marker (an interval unit, say) gets the
// variable's default instead, and that variable is simply written out.
import { type SqlDialect, type TemplateEntry, type VariableDeclaration, type VariableValue } from '../catalog';
import { type FormatOptions } from './format';
import { render } from './render';

export interface PatternSnippet {
  /** LSP/TextMate snippet syntax: `$`, `}` and `\` in the SQL are escaped. */
  readonly snippet: string;
  /** The same SQL with every tab stop written as its placeholder text. */
  readonly preview: string;
  readonly dialect: SqlDialect;
  /** Variables that are tab stops, in tab order. */
  readonly tabStops: readonly string[];
}

const MARKER_BASE = 987_650_000;

export function patternSnippet(entry: TemplateEntry, dialect: SqlDialect, format: Partial<FormatOptions> = {}): PatternSnippet | { problem: string } {
  // An optional variable without a default stays unset, so the template takes its own fallback
  // (`*` for no select_columns). First every other variable is a marker; then text and numbers
  // with a default (helper arguments such as an interval's unit) fall back to it; then every
  // variable with a default; then none.
  const wanted = (d: VariableDeclaration): boolean => d.required || d.default !== undefined;
  const plans: ((declaration: VariableDeclaration) => boolean)[] = [
    wanted,
    (d) => wanted(d) && (d.default === undefined || d.type === 'identifier' || d.type === 'column_list'),
    (d) => wanted(d) && d.default === undefined,
    () => false,
  ];
  let lastProblem = '';
  for (const marked of plans) {
    const values: Record<string, VariableValue> = {};
    const markers = new Map<string, VariableDeclaration>();
    entry.variables.forEach((declaration, index) => {
      const value = marked(declaration) ? markerFor(declaration, index) : undefined;
      if (value !== undefined) {
        markers.set(markerText(value), declaration);
        values[declaration.name] = value;
      } else {
        const fallback = declaration.default ?? (declaration.required ? sampleFor(declaration) : undefined);
        if (fallback !== undefined) values[declaration.name] = fallback;
      }
    });
    try {
      const { sql } = render(entry, values, { dialect, format });
      return toSnippet(sql, markers, dialect);
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
  }
  return { problem: lastProblem };
}

function markerFor(declaration: VariableDeclaration, index: number): VariableValue | undefined {
  const text = `nlvar${index}z`;
  switch (declaration.type) {
    case 'identifier':
    case 'string':
      return text;
    case 'column_list':
      return [text];
    case 'number':
      return MARKER_BASE + index;
    case 'boolean':
      return undefined;
  }
}

function markerText(value: VariableValue): string {
  return Array.isArray(value) ? String(value[0]) : String(value);
}

/** A value for a variable that is not a tab stop and has no default: its name reads as a hint. */
function sampleFor(declaration: VariableDeclaration): VariableValue | undefined {
  switch (declaration.type) {
    case 'identifier':
    case 'string':
      return declaration.name;
    case 'column_list':
      return [declaration.name];
    case 'number':
      return 0;
    case 'boolean':
      return false;
  }
}

function toSnippet(sql: string, markers: ReadonlyMap<string, VariableDeclaration>, dialect: SqlDialect): PatternSnippet {
  if (markers.size === 0) return { snippet: escapeSnippet(sql), preview: sql, dialect, tabStops: [] };
  const pattern = new RegExp([...markers.keys()].sort((a, b) => b.length - a.length).join('|'), 'gi');
  const stops = new Map<string, number>();
  const written = new Set<number>();
  let snippet = '';
  let preview = '';
  let at = 0;
  for (const match of sql.matchAll(pattern)) {
    const declaration = markers.get(match[0].toLowerCase());
    if (declaration === undefined) continue;
    const text = placeholderText(declaration);
    let stop = stops.get(declaration.name);
    if (stop === undefined) {
      stop = stops.size + 1;
      stops.set(declaration.name, stop);
    }
    const before = sql.slice(at, match.index);
    // A tab stop's placeholder is written once; its mirrors are plain `$n`, as VS Code expects.
    snippet += escapeSnippet(before) + (written.has(stop) ? `\${${stop}}` : `\${${stop}:${escapeSnippet(text)}}`);
    written.add(stop);
    preview += before + text;
    at = match.index + match[0].length;
  }
  snippet += escapeSnippet(sql.slice(at));
  preview += sql.slice(at);
  return { snippet, preview, dialect, tabStops: [...stops.keys()] };
}

function placeholderText(declaration: VariableDeclaration): string {
  const value = declaration.default;
  if (value === undefined) return declaration.name;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (char) => `\\${char}`);
}
