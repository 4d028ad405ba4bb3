// Identifier values: what counts as a safe identifier, and how each dialect quotes one.
// Unquoted parts are letters, digits and underscores; quoted parts ("a b" or `a b`) may hold
// more, but never quote characters of the other style, backslashes, control characters or
// anything that starts a comment or ends a statement, so no value can escape its quotes.
import { type SqlDialect } from '../catalog';

export interface IdentifierPart {
  /** The name as the database stores it (quotes removed, doubled quotes undone). */
  readonly text: string;
  readonly quoted: boolean;
}

const PLAIN_PART = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const MAX_PARTS = 4;
const MAX_PART_LENGTH = 128;

/** Words most dialects reserve; an unquoted identifier spelled like one is quoted by `ident`. */
const RESERVED = new Set(
  (
    'all and any array as asc between both by case cast check collate column constraint create cross current_date ' +
    'current_time current_timestamp current_user default delete desc distinct else end except exists false fetch for ' +
    'foreign from full grant group having in inner insert intersect interval into is join lateral leading left like ' +
    'limit merge natural not null offset on only or order outer over partition primary qualify range references right ' +
    'rows select session_user set some table then to trailing true union unique update user using values when where ' +
    'window with'
  ).split(' '),
);

/** Parses an identifier value (`orders`, `analytics.orders`, `"Order Date"`), or says why it is unsafe. */
export function parseIdentifier(value: string): { parts: IdentifierPart[] } | { problem: string } {
  if (value.length === 0) return { problem: 'it is empty' };
  const parts: IdentifierPart[] = [];
  let at = 0;
  while (at <= value.length) {
    const quote = value[at];
    if (quote === '"' || quote === '`') {
      let text = '';
      let i = at + 1;
      for (;;) {
        const ch = value[i];
        if (ch === undefined) return { problem: `the quote opened at character ${at + 1} is never closed` };
        if (ch === quote) {
          if (quote === '"' && value[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          break;
        }
        const bad = unsafeInQuotes(ch, value.slice(i, i + 2));
        if (bad) return { problem: `it contains ${bad}` };
        text += ch;
        i += 1;
      }
      if (text.length === 0) return { problem: 'it has an empty quoted part' };
      parts.push({ text, quoted: true });
      at = i + 1;
    } else {
      const end = value.indexOf('.', at);
      const text = value.slice(at, end === -1 ? value.length : end);
      if (!PLAIN_PART.test(text)) return { problem: describePlainProblem(text) };
      parts.push({ text, quoted: false });
      at = end === -1 ? value.length : end;
    }
    if (at === value.length) break;
    if (value[at] !== '.') return { problem: `it has ${describeChar(value[at] ?? '')} after a quoted part` };
    at += 1;
    if (at === value.length) return { problem: 'it ends with a dot' };
  }
  if (parts.length > MAX_PARTS) return { problem: `it has more than ${MAX_PARTS} dotted parts` };
  if (parts.some((part) => part.text.length > MAX_PART_LENGTH)) return { problem: `a part is longer than ${MAX_PART_LENGTH} characters` };
  return { parts };
}

/**
 * Quotes each part for the dialect when it needs it: a part the user quoted stays quoted (the
 * quotes may matter for case), a plain part is quoted only when it is a reserved word.
 */
export function quoteIdentifier(parts: readonly IdentifierPart[], dialect: SqlDialect): string {
  return parts.map((part) => (needsQuotes(part) ? quotePart(part.text, dialect) : part.text)).join('.');
}

function needsQuotes(part: IdentifierPart): boolean {
  return part.quoted || RESERVED.has(part.text.toLowerCase());
}

function quotePart(text: string, dialect: SqlDialect): string {
  if (dialect === 'bigquery' || dialect === 'spark') return `\`${text}\``;
  return `"${text.replaceAll('"', '""')}"`;
}

function unsafeInQuotes(ch: string, pair: string): string | undefined {
  if (ch === '`' || ch === '"') return `a ${ch === '`' ? 'backtick' : 'double quote'} inside the quotes`;
  if (ch === '\\') return 'a backslash';
  if (ch === ';') return 'a semicolon';
  if (pair === '--' || pair === '/*' || pair === '*/') return `"${pair}"`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(ch)) return 'a control character';
  return undefined;
}

function describePlainProblem(text: string): string {
  if (text.length === 0) return 'it has an empty part (two dots in a row, or a leading dot)';
  if (/^\p{N}/u.test(text)) return 'it starts with a digit';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (!/[\p{L}\p{N}_]/u.test(ch)) {
      const pair = text.slice(i, i + 2);
      if (pair === '--' || pair === '/*') return `it contains "${pair}", which starts a comment`;
      return `it contains ${describeChar(ch)}`;
    }
  }
  return 'it is not a plain name';
}

function describeChar(ch: string): string {
  if (ch === ';') return 'a semicolon';
  if (ch === "'") return 'a single quote';
  if (ch === '"') return 'a double quote';
  if (ch === '`') return 'a backtick';
  if (/\s/.test(ch)) return 'whitespace';
  return `"${ch}"`;
}
