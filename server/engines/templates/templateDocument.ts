// One template file as the editor sees it: its front matter, the variables it declares (there or
// through a catalog template), what the body references, and every finding worth underlining,
// each with an exact range. Pure: the catalog is reached through a look-up function.
import { type SqlDialect, type TemplateEntry, type VariableDeclaration } from '../catalog';
import { checkTemplate } from './check';
import { type TemplateErrorCode, type TemplateRange } from './errors';
import { parseFrontMatter, type DeclaredVariable, type FrontMatter, type Span } from './frontMatter';
import { type ParsedTemplate } from './parse';
import { TextPositions } from './textPositions';

export type FindingCode =
  | TemplateErrorCode
  | 'front-matter-syntax'
  | 'invalid-front-matter'
  | 'unknown-catalog-template'
  | 'unused-variable';

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly range: TemplateRange;
  /** Shown faded: a declaration nothing uses. */
  readonly unnecessary?: boolean;
  readonly variable?: string;
  readonly helper?: string;
}

export interface VariableInfo {
  readonly declaration: VariableDeclaration;
  /** Where it is declared in this document; undefined when the catalog template declares it. */
  readonly declared: DeclaredVariable | undefined;
}

export interface TemplateDocument {
  readonly text: string;
  readonly positions: TextPositions;
  readonly frontMatter: FrontMatter | undefined;
  /** The catalog template the front matter names, when it exists. */
  readonly catalogEntry: TemplateEntry | undefined;
  readonly variables: ReadonlyMap<string, VariableInfo>;
  readonly dialects: readonly SqlDialect[];
  readonly parsed: ParsedTemplate;
  readonly findings: readonly Finding[];
}

export interface AnalyseOptions {
  /** Finds a catalog template by id or name, for `{ "catalog": "…" }`. */
  readonly lookupTemplate: (ref: string) => TemplateEntry | undefined;
}

const SEVERITY: Record<TemplateErrorCode, FindingSeverity> = {
  syntax: 'error',
  forbidden: 'error',
  'unknown-helper': 'error',
  'undeclared-variable': 'warning',
  'invalid-declaration': 'error',
  'missing-variable': 'error',
  'unknown-variable': 'error',
  'invalid-value': 'error',
  'unsupported-dialect': 'error',
  'too-large': 'error',
};

/** Reads a template file: never throws, whatever the text. */
export function analyseTemplate(text: string, options: AnalyseOptions): TemplateDocument {
  const positions = new TextPositions(text);
  const range = (span: Span): TemplateRange => positions.rangeOf(span.start, span.end);
  const frontMatter = parseFrontMatter(text);
  const findings: Finding[] = [];
  for (const problem of frontMatter?.problems ?? []) {
    findings.push({ code: problem.code, severity: problem.warning ? 'warning' : 'error', message: problem.message, range: range(problem.span) });
  }

  let catalogEntry: TemplateEntry | undefined;
  if (frontMatter?.catalog !== undefined) {
    catalogEntry = options.lookupTemplate(frontMatter.catalog.ref);
    if (catalogEntry === undefined) {
      findings.push({
        code: 'unknown-catalog-template',
        severity: 'error',
        message: `No catalog template has the id or name "${frontMatter.catalog.ref}".`,
        range: range(frontMatter.catalog.span),
      });
    }
  }
  const declaredHere = frontMatter?.variables ?? [];
  const declarations = catalogEntry?.variables ?? declaredHere.map((declared) => declared.declaration);
  const variables = new Map<string, VariableInfo>();
  for (const declaration of declarations) {
    if (variables.has(declaration.name)) continue;
    variables.set(declaration.name, { declaration, declared: catalogEntry ? undefined : declaredHere.find((d) => d.declaration.name === declaration.name) });
  }

  const checked = checkTemplate({ body: text, variables: declarations });
  for (const problem of checked.problems) {
    let where = problem.range;
    if (problem.code === 'invalid-declaration') {
      // checkTemplate knows declarations only by name; point at the part of the declaration at fault.
      const declared = declaredHere.find((d) => d.declaration.name === problem.variable);
      if (catalogEntry !== undefined && frontMatter?.catalog) where = range(frontMatter.catalog.span);
      else if (declared !== undefined) {
        const span = /unknown type/.test(problem.message) ? declared.typeSpan : /default/.test(problem.message) ? declared.defaultSpan : undefined;
        where = range(span ?? declared.nameSpan);
      }
    }
    findings.push({
      code: problem.code,
      severity: SEVERITY[problem.code],
      message: withoutPosition(problem.message),
      range: where,
      ...(problem.variable === undefined ? {} : { variable: problem.variable }),
      ...(problem.helper === undefined ? {} : { helper: problem.helper }),
    });
  }
  // Every use of an undeclared variable is underlined, not only the first (checkTemplate names each once).
  const flagged = new Set(findings.filter((f) => f.code === 'undeclared-variable').map((f) => `${f.range.start.line}:${f.range.start.character}`));
  for (const reference of checked.references) {
    if (variables.has(reference.name) || flagged.has(`${reference.range.start.line}:${reference.range.start.character}`)) continue;
    findings.push({ code: 'undeclared-variable', severity: 'warning', message: `The template uses "${reference.name}" but does not declare it.`, range: reference.range, variable: reference.name });
  }

  const parsedOk = !checked.problems.some((problem) => problem.code === 'syntax' || problem.code === 'too-large');
  if (parsedOk) {
    const used = new Set(checked.references.map((reference) => reference.name));
    for (const [name, info] of variables) {
      if (used.has(name)) continue;
      const where = info.declared ? range(info.declared.nameSpan) : frontMatter?.catalog ? range(frontMatter.catalog.span) : undefined;
      if (where === undefined) continue;
      findings.push({ code: 'unused-variable', severity: 'hint', message: `Variable "${name}" is declared but the template does not use it.`, range: where, unnecessary: true, variable: name });
    }
  }

  const dialects = catalogEntry?.dialects ?? frontMatter?.dialects ?? [];
  return { text, positions, frontMatter, catalogEntry, variables, dialects, parsed: checked, findings: findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character) };
}

function withoutPosition(message: string): string {
  return message.replace(/ \(line \d+, column \d+\)(?=\.?$)/, '');
}
