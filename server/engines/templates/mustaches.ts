// A lexical scan of a template for its mustaches (`{{…}}`, `{{{…}}}`, `{{!-- … --}}`), with the
// offsets of each and what kind of tag it is. Handlebars' parser gives an AST, but not the exact
// text of block open/else/close tags, and it gives nothing for a body that does not parse; the
// editor needs both (completion while typing, formatting that must put every tag back).
export type MustacheKind =
  /** `{{name …}}` or `{{{name …}}}`: an expression whose value goes into the SQL. */
  | 'expression'
  /** `{{#name …}}` */
  | 'open'
  /** `{{else}}`, `{{else if …}}`, `{{^}}` */
  | 'else'
  /** `{{/name}}` */
  | 'close'
  /** `{{! … }}` and `{{!-- … --}}` */
  | 'comment'
  /** Partials, decorators, raw blocks, `{{^name}}` inverse sections and `{{&…}}`: refused by the engine anyway. */
  | 'other';

export interface Mustache {
  readonly start: number;
  /** Offset just past the closing braces; equals the text length when unclosed. */
  readonly end: number;
  /** Offset of its closing braces (equals `end` when unclosed): the inside is [start + 2, innerEnd). */
  readonly innerEnd: number;
  readonly kind: MustacheKind;
  /** The helper or variable named first, e.g. `each` for `{{#each cols}}`, `if` for `{{else if x}}`. */
  readonly name: string;
  readonly closed: boolean;
}

const NAME = /[^\s!"#%&'()*+,./;<=>@[\\\]^`{|}~]+/y;

/** Every mustache of `text` in order. Never throws; an unclosed one runs to the end of the text. */
export function scanMustaches(text: string): Mustache[] {
  const found: Mustache[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    if (open < 0) return found;
    // `\{{` is literal text in Handlebars; `\\{{` is a backslash and then a mustache.
    if (open > 0 && text[open - 1] === '\\' && text[open - 2] !== '\\') {
      at = open + 2;
      continue;
    }
    const mustache = readMustache(text, open);
    found.push(mustache);
    at = Math.max(mustache.end, open + 2);
  }
}

function readMustache(text: string, start: number): Mustache {
  if (text.startsWith('{{{{', start)) {
    const end = text.indexOf('}}}}', start + 4);
    return { start, end: end < 0 ? text.length : end + 4, innerEnd: end < 0 ? text.length : end, kind: 'other', name: '', closed: end >= 0 };
  }
  const triple = text[start + 2] === '{';
  let inner = start + (triple ? 3 : 2);
  if (text[inner] === '~') inner += 1;
  const sigil = text[inner];
  if (sigil === '!') {
    const long = text.startsWith('!--', inner);
    const close = long ? /--~?}}/g : /}}/g;
    close.lastIndex = inner;
    const match = close.exec(text);
    return { start, end: match ? match.index + match[0].length : text.length, innerEnd: match ? match.index : text.length, kind: 'comment', name: '', closed: match !== null };
  }
  let kind: MustacheKind = 'expression';
  let nameAt = inner;
  if (sigil === '#') {
    kind = text[inner + 1] === '>' || text[inner + 1] === '*' ? 'other' : 'open';
    nameAt = inner + 1;
  } else if (sigil === '/') {
    kind = 'close';
    nameAt = inner + 1;
  } else if (sigil === '^') {
    kind = /^\^\s*~?}}/.test(text.slice(inner, inner + 8)) ? 'else' : 'other';
    nameAt = inner + 1;
  } else if (sigil === '>' || sigil === '&' || sigil === '*') {
    kind = 'other';
    nameAt = inner + 1;
  }
  while (nameAt < text.length && /\s/.test(text[nameAt] ?? '')) nameAt += 1;
  NAME.lastIndex = nameAt;
  let name = NAME.exec(text)?.[0] ?? '';
  if (kind === 'expression' && name === 'else') {
    kind = 'else';
    const after = /\s+([^\s~}()]+)/y;
    after.lastIndex = nameAt + 4;
    name = after.exec(text)?.[1] ?? '';
  }
  // Find the closing braces, skipping string literals, which may hold `}}`.
  const closing = triple ? '}}}' : '}}';
  let index = nameAt;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'") {
      const quoteEnd = text.indexOf(char, index + 1);
      // An unterminated string: Handlebars fails too; stop at the next close instead of the end.
      index = quoteEnd < 0 ? index + 1 : quoteEnd + 1;
      continue;
    }
    if (text.startsWith(closing, index)) return { start, end: index + closing.length, innerEnd: text[index - 1] === '~' ? index - 1 : index, kind, name, closed: true };
    if (char === '{' && text[index + 1] === '{') break;
    index += 1;
  }
  return { start, end: index, innerEnd: index, kind, name, closed: false };
}

/** The mustache whose inside (between its braces) holds `offset`, if any. */
export function mustacheAt(mustaches: readonly Mustache[], offset: number): Mustache | undefined {
  let low = 0;
  let high = mustaches.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (mustaches[middle]!.start < offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  const candidate = mustaches[found];
  return candidate !== undefined && candidate.start + 2 <= offset && offset <= candidate.innerEnd ? candidate : undefined;
}

/** The block helpers open at `offset` (outermost first), from the tags before it. */
export function openBlocksAt(mustaches: readonly Mustache[], offset: number): string[] {
  const stack: string[] = [];
  for (const mustache of mustaches) {
    if (mustache.start >= offset) break;
    if (mustache.end > offset) continue;
    if (mustache.kind === 'open') stack.push(mustache.name);
    else if (mustache.kind === 'close') {
      const index = stack.lastIndexOf(mustache.name);
      if (index >= 0) stack.length = index;
    }
  }
  return stack;
}
