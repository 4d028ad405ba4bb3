// Formats a Handlebars SQL template with sql-formatter, which does not know Handlebars: every
// mustache is masked first and put back after. A block tag alone on its line (`{{#if …}}`,
// `{{else}}`, `{{/each}}`, a `{{!-- --}}` comment) becomes a SQL line comment, so it keeps a line
// of its own; any other mustache becomes a unique identifier the formatter treats as a name.
// The result is checked before it is returned: the same mustaches in the same order, the same SQL
// words and symbols around them (only whitespace and keyword case may change), and a body that
// still parses. Anything else refuses with a reason instead of returning a damaged template.
import { type SqlDialect } from '../catalog';
import { formatSql, type FormatOptions } from './format';
import { parseFrontMatter } from './frontMatter';
import { scanMustaches, type Mustache } from './mustaches';
import { parseTemplate } from './parse';

export type FormatTemplateResult = { readonly text: string } | { readonly problem: string };

interface Mask {
  /** What the formatter sees, lower case: an identifier, or a line comment's text. */
  readonly placeholder: string;
  /** What goes back in its place. */
  readonly original: string;
}

const ALONE_ON_LINE: ReadonlySet<Mustache['kind']> = new Set(['open', 'else', 'close', 'comment']);

/**
 * Formats a whole template file: its front matter is kept as written, the body after it is
 * formatted. `text` may also be a fragment (range formatting), provided its blocks are whole.
 */
export function formatTemplate(text: string, dialect: SqlDialect, options: Partial<FormatOptions> = {}): FormatTemplateResult {
  const frontMatter = parseFrontMatter(text);
  const bodyStart = frontMatter === undefined ? 0 : frontMatter.span.end;
  if (frontMatter !== undefined && !frontMatter.closed) return { problem: 'The front matter is not closed (--}}), so the template was not formatted.' };
  const head = text.slice(0, bodyStart);
  const body = text.slice(bodyStart);
  if (body.trim() === '') return { text };
  const leading = frontMatter === undefined ? '' : (/^[ \t]*(\r?\n)?/.exec(body)?.[1] ?? '\n');
  const trailing = /\r?\n\s*$/.test(body) ? (body.includes('\r\n') ? '\r\n' : '\n') : '';
  const formatted = formatBody(body, dialect, options);
  if ('problem' in formatted) return formatted;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const out = formatted.text.replace(/\r?\n/g, eol);
  return { text: `${head}${leading}${out}${trailing}` };
}

function formatBody(body: string, dialect: SqlDialect, options: Partial<FormatOptions>): FormatTemplateResult {
  const parsed = parseTemplate(body);
  const broken = parsed.problems.find((problem) => problem.code === 'syntax' || problem.code === 'too-large');
  if (broken) return { problem: `The template was not formatted: ${broken.message}` };
  const mustaches = scanMustaches(body);
  const odd = mustaches.find((mustache) => mustache.kind === 'other' || !mustache.closed);
  if (odd) return { problem: `The template was not formatted: it uses ${body.slice(odd.start, Math.min(odd.end, odd.start + 40))}, which the formatter cannot keep intact.` };

  const prefix = placeholderPrefix(body);
  const masks: Mask[] = [];
  const width = String(mustaches.length).length;
  const next = (): string => `${prefix}${String(masks.length).padStart(width, '0')}`;
  let masked = '';
  let at = 0;
  for (let index = 0; index < mustaches.length; ) {
    const line = standaloneLine(body, mustaches, index);
    if (line !== undefined) {
      const placeholder = `-- ${next()}`;
      masks.push({ placeholder, original: body.slice(line.start, line.end) });
      masked += body.slice(at, line.start) + placeholder;
      at = line.end;
      index = line.next;
      continue;
    }
    // A block opened and closed on one line (`{{#each keys}}…{{/each}}`) is one name to the
    // formatter: its inside stays as written, and a bracket it holds cannot unbalance the SQL.
    const mustache = mustaches[index]!;
    const close = mustache.kind === 'open' ? closingIndex(mustaches, index) : undefined;
    const last = close !== undefined && !body.slice(mustache.start, mustaches[close]!.end).includes('\n') ? close : index;
    const placeholder = next();
    masks.push({ placeholder, original: body.slice(mustache.start, mustaches[last]!.end) });
    masked += body.slice(at, mustache.start) + placeholder;
    at = mustaches[last]!.end;
    index = last + 1;
  }
  masked += body.slice(at);

  const result = formatSql(masked, dialect, options);
  if (result.warnings.length > 0) return { problem: result.warnings.join(' ') };

  const restored = restore(alignTagLines(result.sql, prefix), masks, prefix);
  if (restored === undefined) return { problem: 'The template was not formatted: the formatter moved or dropped a template tag.' };
  const problem = verify(body, restored);
  return problem === undefined ? { text: restored } : { problem: `The template was not formatted: ${problem}` };
}

/** A placeholder prefix that occurs nowhere in the text, so no SQL name can be mistaken for one. */
function placeholderPrefix(text: string): string {
  const lower = text.toLowerCase();
  for (let attempt = 0; ; attempt += 1) {
    const prefix = attempt === 0 ? 'nlhb' : `nlhb${attempt.toString(36)}q`;
    if (!lower.includes(prefix)) return prefix;
  }
}

/** The index of the `{{/…}}` that closes the block opened at mustaches[index]. */
function closingIndex(mustaches: readonly Mustache[], index: number): number | undefined {
  let depth = 0;
  for (let at = index; at < mustaches.length; at += 1) {
    const kind = mustaches[at]!.kind;
    if (kind === 'open') depth += 1;
    else if (kind === 'close') {
      depth -= 1;
      if (depth === 0) return at;
    }
  }
  return undefined;
}

/**
 * When mustaches[index] starts a line made only of block tags and comments (and whitespace), the
 * line's trimmed extent and the index after its last tag.
 */
function standaloneLine(body: string, mustaches: readonly Mustache[], index: number): { start: number; end: number; next: number } | undefined {
  const first = mustaches[index]!;
  if (!ALONE_ON_LINE.has(first.kind)) return undefined;
  const lineStart = body.lastIndexOf('\n', first.start - 1) + 1;
  if (body.slice(lineStart, first.start).trim() !== '') return undefined;
  let last = index;
  for (;;) {
    const current = mustaches[last]!;
    const following = mustaches[last + 1];
    const newline = body.indexOf('\n', current.end);
    const lineEnd = newline < 0 ? body.length : newline;
    if (following !== undefined && following.start < lineEnd && ALONE_ON_LINE.has(following.kind) && body.slice(current.end, following.start).trim() === '') {
      last += 1;
      continue;
    }
    if (body.slice(current.end, lineEnd).trim() !== '') return undefined;
    return { start: first.start, end: current.end, next: last + 1 };
  }
}

/** A block tag alone on its line takes the indentation of the SQL line after it (none at the end). */
function alignTagLines(sql: string, prefix: string): string {
  const lines = sql.split('\n');
  const isTagLine = (line: string): boolean => line.trimStart().toLowerCase().startsWith(`-- ${prefix}`);
  let indent = '';
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index]!;
    if (isTagLine(line)) lines[index] = indent + line.trimStart();
    else if (line.trim() !== '') indent = /^\s*/.exec(line)?.[0] ?? '';
    else if (index === lines.length - 1) indent = '';
  }
  return lines.join('\n');
}

function restore(sql: string, masks: readonly Mask[], prefix: string): string | undefined {
  const lower = sql.toLowerCase();
  let out = '';
  let at = 0;
  for (const mask of masks) {
    const found = lower.indexOf(mask.placeholder, at);
    if (found < 0) return undefined;
    out += sql.slice(at, found) + mask.original;
    at = found + mask.placeholder.length;
  }
  const rest = sql.slice(at);
  if (rest.toLowerCase().includes(prefix)) return undefined;
  return out + rest.replace(/[ \t]+$/gm, '');
}

/** Why `after` is not `before` re-laid out, or undefined when it is. */
function verify(before: string, after: string): string | undefined {
  const tagsBefore = scanMustaches(before).map((m) => before.slice(m.start, m.end));
  const tagsAfter = scanMustaches(after).map((m) => after.slice(m.start, m.end));
  if (tagsBefore.length !== tagsAfter.length || tagsBefore.some((tag, index) => tag !== tagsAfter[index])) return 'the template tags would not survive formatting unchanged.';
  const wordsBefore = sqlTokens(before);
  const wordsAfter = sqlTokens(after);
  const differs = wordsBefore.findIndex((word, index) => word !== wordsAfter[index]);
  if (differs >= 0 || wordsBefore.length !== wordsAfter.length) {
    return `the formatter would change the SQL near "${wordsBefore[differs < 0 ? wordsBefore.length - 1 : differs] ?? ''}", not only its layout.`;
  }
  const parsed = parseTemplate(after);
  const broken = parsed.problems.find((problem) => problem.code === 'syntax');
  return broken === undefined ? undefined : `the formatted template would not parse (${broken.message}).`;
}

/** Words and single symbols outside the mustaches, lower case: what formatting must not change. */
function sqlTokens(text: string): string[] {
  let plain = '';
  let at = 0;
  for (const mustache of scanMustaches(text)) {
    // A letter-like mark, so a word glued to a mustache must stay glued to it.
    plain += `${text.slice(at, mustache.start)}\uE000`;
    at = mustache.end;
  }
  plain += text.slice(at);
  return plain.toLowerCase().match(/[\p{L}\p{N}_$\uE000]+|\S/gu) ?? [];
}
