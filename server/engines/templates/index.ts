// The template engine: render NeuroLake's Handlebars SQL templates safely, per dialect.
// Plain TypeScript, no editor or LSP types: the server's handlers and the CLI call it.
export { render, type RenderOptions, type RenderResult, MAX_EACH_ITERATIONS, MAX_OUTPUT_CHARS } from './render';
export { TemplateError, TEMPLATE_ERROR_CODES, type TemplateErrorCode, type TemplatePosition, type TemplateRange } from './errors';
export { HELPERS, type HelperDoc } from './helpers';
export { parseTemplate, declaredVariableNames, MAX_BODY_CHARS, MAX_NESTING, type ParsedTemplate, type VariableReference, type HelperReference, type TemplateProblem, type ReferenceUsage } from './parse';
export { checkTemplate, type CheckedTemplate } from './check';
export { resolveValues, MAX_LIST_ITEMS } from './values';
export { formatSql, FORMAT_DEFAULTS, type FormatOptions } from './format';
export { parseIdentifier, quoteIdentifier } from './identifiers';
// What the editor's language features read: template documents (front matter, mustaches, findings).
export { parseFrontMatter, declareVariableEdits, type FrontMatter } from './frontMatter';
export { scanMustaches, mustacheAt, openBlocksAt, type Mustache } from './mustaches';
export { analyseTemplate, type TemplateDocument, type Finding, type FindingCode, type FindingSeverity, type VariableInfo } from './templateDocument';
export { containsPosition } from './textPositions';
export { patternSnippet, type PatternSnippet } from './snippet';
export { formatTemplate } from './formatTemplate';
export { readValueText, type ValueVerdict, type TypedVariable } from './valueText';
