// Checks a whole template entry, body against declarations, without rendering: what the editor
// shows as diagnostics and what render refuses to run.
import { type TemplateEntry, VARIABLE_TYPES } from '../catalog';
import { describePosition, type TemplateRange } from './errors';
import { findHelper } from './helpers';
import { DIALECT_VARIABLE, parseTemplate, type ParsedTemplate, type TemplateProblem } from './parse';
import { coerce } from './values';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_NAMES = new Set([DIALECT_VARIABLE, 'this', 'root', 'else']);
const TOP: TemplateRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export interface CheckedTemplate extends ParsedTemplate {
  /** Problems of the body and of the declarations together; rendering needs none. */
  readonly problems: readonly TemplateProblem[];
}

export function checkTemplate(template: Pick<TemplateEntry, 'body' | 'variables'>): CheckedTemplate {
  const parsed = parseTemplate(template.body);
  const problems: TemplateProblem[] = [...parsed.problems];
  const declared = new Map(template.variables.map((declaration) => [declaration.name, declaration]));

  const seen = new Set<string>();
  for (const declaration of template.variables) {
    const problem = (message: string): void => {
      problems.push({ code: 'invalid-declaration', message, range: TOP, variable: declaration.name });
    };
    if (!VARIABLE_NAME.test(declaration.name)) problem(`Variable name ${JSON.stringify(declaration.name)} must be letters, digits and underscores, not starting with a digit.`);
    else if (RESERVED_NAMES.has(declaration.name)) problem(`Variable name "${declaration.name}" is reserved${declaration.name === DIALECT_VARIABLE ? ': the dialect is always available as {{dialect}}' : ''}.`);
    else if (findHelper(declaration.name)) problem(`Variable name "${declaration.name}" is also a helper's name; {{${declaration.name}}} would call the helper. Rename the variable.`);
    if (seen.has(declaration.name)) problem(`Variable "${declaration.name}" is declared twice.`);
    seen.add(declaration.name);
    if (!VARIABLE_TYPES.includes(declaration.type)) problem(`Variable "${declaration.name}" has unknown type ${JSON.stringify(declaration.type)}.`);
    else if (declaration.default !== undefined) {
      const result = coerce(declaration.type, declaration.default);
      if (typeof result === 'object' && 'problem' in result) problem(`The default of variable "${declaration.name}" does not fit its type (${declaration.type}): ${result.problem}.`);
    }
  }

  const undeclared = new Set<string>();
  for (const reference of parsed.references) {
    const declaration = declared.get(reference.name);
    if (!declaration) {
      if (!undeclared.has(reference.name)) {
        problems.push({ code: 'undeclared-variable', message: `The template uses "${reference.name}" but does not declare it (${describePosition(reference.range.start)}).`, range: reference.range, variable: reference.name });
      }
      undeclared.add(reference.name);
    } else if (declaration.type === 'string' && reference.raw) {
      problems.push({
        code: 'forbidden',
        message: `"${reference.name}" is free text (a string variable): emit it with {{literal ${reference.name}}}, never as raw SQL (${describePosition(reference.range.start)}).`,
        range: reference.range,
        variable: reference.name,
      });
    }
  }
  return { ...parsed, problems };
}
