// The one error a template operation throws, with a code a caller can branch on and a message
// a person can act on (it names the variable, helper or line at fault).

/** A position in a template body, zero-based like LSP positions (messages print them one-based). */
export interface TemplatePosition {
  readonly line: number;
  readonly character: number;
}

export interface TemplateRange {
  readonly start: TemplatePosition;
  readonly end: TemplatePosition;
}

export const TEMPLATE_ERROR_CODES = [
  /** The body is not valid Handlebars. */
  'syntax',
  /** The body uses a construct templates may not use (partials, decorators, `lookup`, prototype names…). */
  'forbidden',
  /** The body calls a helper NeuroLake does not provide, or calls one with the wrong arguments. */
  'unknown-helper',
  /** The body references a variable the template does not declare. */
  'undeclared-variable',
  /** A declaration is unusable: a name that is reserved, repeated or shadows a helper, or a bad default. */
  'invalid-declaration',
  /** Required variables have no value. */
  'missing-variable',
  /** Values were supplied for variables the template does not declare. */
  'unknown-variable',
  /** A value does not fit its declared type (or a helper argument is unusable). */
  'invalid-value',
  /** The requested dialect is not one the template is written for. */
  'unsupported-dialect',
  /** The body or its output exceeds a size, nesting or iteration limit. */
  'too-large',
] as const;
export type TemplateErrorCode = (typeof TEMPLATE_ERROR_CODES)[number];

export interface TemplateErrorDetails {
  /** Variables at fault, e.g. every missing required variable. */
  readonly variables?: readonly string[];
  readonly helper?: string;
  readonly range?: TemplateRange;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly variables: readonly string[];
  readonly helper: string | undefined;
  readonly range: TemplateRange | undefined;

  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    details: TemplateErrorDetails = {},
  ) {
    super(message);
    this.variables = details.variables ?? [];
    this.helper = details.helper;
    this.range = details.range;
  }
}

/** "line 3, column 7": one-based, as an editor's status bar shows it. */
export function describePosition(position: TemplatePosition): string {
  return `line ${position.line + 1}, column ${position.character + 1}`;
}
