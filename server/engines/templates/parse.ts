// Reads a template body with Handlebars' own parser and walks the AST: which variables it uses
// and where, which helpers it calls, and every construct a template may not use. Nothing here
// runs the template, so it is safe on an untrusted body and fast enough for diagnostics.
import Handlebars from 'handlebars';
import { describePosition, TemplateError, type TemplateErrorCode, type TemplateRange } from './errors';
import { findHelper } from './helpers';

/** Bodies longer than this are refused before parsing. */
export const MAX_BODY_CHARS = 200_000;
/** Blocks and sub-expressions nested deeper than this are refused. */
export const MAX_NESTING = 24;

/** The variable every body may use without declaring it: the dialect being rendered. */
export const DIALECT_VARIABLE = 'dialect';

export type ReferenceUsage =
  /** `{{name}}`: the value itself goes into the SQL. */
  | 'output'
  /** An argument of a helper, e.g. `{{ident name}}`. */
  | 'argument'
  /** The condition of `{{#if}}`/`{{#unless}}`. */
  | 'condition'
  /** The list of `{{#each}}`. */
  | 'iteration';

export interface VariableReference {
  readonly name: string;
  readonly range: TemplateRange;
  readonly usage: ReferenceUsage;
  /** The helper it is an argument of, when usage is 'argument'. */
  readonly helper?: string;
  /** Its value can reach the SQL unchanged (bare output, or through `concat`/`join`). */
  readonly raw: boolean;
}

export interface HelperReference {
  readonly name: string;
  readonly range: TemplateRange;
}

export interface TemplateProblem {
  readonly code: TemplateErrorCode;
  readonly message: string;
  readonly range: TemplateRange;
  readonly helper?: string;
  readonly variable?: string;
}

export interface ParsedTemplate {
  /** Every reference to a template variable, in source order; `dialect` is left out. */
  readonly references: readonly VariableReference[];
  readonly helpers: readonly HelperReference[];
  /** Syntax errors and refused constructs; a body with problems is never compiled. */
  readonly problems: readonly TemplateProblem[];
  /** The AST, when the body parsed. */
  readonly program: hbs.AST.Program | undefined;
}

/** Names no property path may touch: the ways out of a plain value into its prototype. */
const PROTOTYPE_NAMES = new Set(['constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const DATA_VARIABLES = new Set(['index', 'key', 'first', 'last']);
const REFUSED_HELPERS: Record<string, string> = {
  lookup: '`lookup` is not available in NeuroLake templates: name the variable directly',
  with: '`with` is not available in NeuroLake templates: name the variable directly',
  log: '`log` is not available in NeuroLake templates',
};

export function parseTemplate(body: string): ParsedTemplate {
  const whole = rangeOf(undefined);
  if (body.length > MAX_BODY_CHARS) {
    return failed({ code: 'too-large', message: `The template is longer than ${MAX_BODY_CHARS} characters.`, range: whole });
  }
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(body);
  } catch (error) {
    if (error instanceof RangeError) {
      return failed({ code: 'too-large', message: 'The template is nested too deeply to read.', range: whole });
    }
    return failed(syntaxProblem(error));
  }
  const walker = new Walker();
  walker.program(program, 0);
  return { references: walker.references, helpers: walker.helpers, problems: walker.problems, program: walker.problems.length === 0 ? program : undefined };
}

/**
 * The variables a body uses, in order of first use (helpers, block parameters, `this`, `@index`
 * and `dialect` left out). Throws a TemplateError with code 'syntax' if the body does not parse.
 */
export function declaredVariableNames(body: string): string[] {
  const parsed = parseTemplate(body);
  const syntax = parsed.problems.find((problem) => problem.code === 'syntax' || problem.code === 'too-large');
  if (syntax) throw problemToError(syntax);
  return [...new Set(parsed.references.map((reference) => reference.name))];
}

export function problemToError(problem: TemplateProblem): TemplateError {
  return new TemplateError(problem.code, problem.message, {
    range: problem.range,
    ...(problem.helper === undefined ? {} : { helper: problem.helper }),
    ...(problem.variable === undefined ? {} : { variables: [problem.variable] }),
  });
}

function failed(problem: TemplateProblem): ParsedTemplate {
  return { references: [], helpers: [], problems: [problem], program: undefined };
}

function syntaxProblem(error: unknown): TemplateProblem {
  const message = error instanceof Error ? error.message : String(error);
  // Handlebars reports mismatched blocks with lineNumber/column; the grammar's own errors only
  // in the message, while the lexer still holds where it stopped.
  const withPosition = error as { lineNumber?: number; column?: number };
  let line = withPosition.lineNumber;
  let column = withPosition.column;
  if (line === undefined) {
    const lexer = (Handlebars as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser?.lexer;
    line = lexer?.yylloc?.first_line;
    column = lexer?.yylloc?.first_column;
  }
  const start = { line: Math.max(0, (line ?? 1) - 1), character: Math.max(0, column ?? 0) };
  const expecting = /Expecting (.*), got '([^']*)'/.exec(message);
  let detail = message.split(' - ')[0] ?? message;
  if (expecting) {
    const wanted = [...new Set((expecting[1] ?? '').split(', ').map((token) => TOKEN_WORDS[token.replaceAll("'", '')] ?? token.replaceAll("'", '')))];
    const found = expecting[2] === 'EOF' ? 'the end of the template' : (TOKEN_WORDS[expecting[2] ?? ''] ?? expecting[2]);
    detail = wanted.some((word) => word.startsWith('{{/'))
      ? `a block is not closed before ${found}: expected ${wanted.join(' or ')}`
      : `expected ${wanted.join(' or ')}, found ${found}`;
  }
  return { code: 'syntax', message: `Template syntax error at ${describePosition(start)}: ${detail}.`, range: { start, end: start } };
}

/** The grammar's token names, in the words a template author uses. */
const TOKEN_WORDS: Record<string, string> = {
  OPEN_ENDBLOCK: '{{/…}}',
  INVERSE: '{{else}}',
  OPEN_INVERSE_CHAIN: '{{else}}',
  OPEN_INVERSE: '{{^…}}',
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  CLOSE_SEXPR: ')',
  OPEN_SEXPR: '(',
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  UNDEFINED: 'undefined',
  NULL: 'null',
  DATA: 'an @name',
  INVALID: 'an unexpected character',
  EOF: 'the end of the template',
  CONTENT: 'text',
  OPEN: '{{',
  OPEN_BLOCK: '{{#…}}',
  OPEN_BLOCK_PARAMS: 'as |…|',
  CLOSE_BLOCK_PARAMS: '|',
  EQUALS: '=',
  SEP: 'a dot',
};

function rangeOf(node: hbs.AST.Node | undefined): TemplateRange {
  if (!node?.loc) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    start: { line: node.loc.start.line - 1, character: node.loc.start.column },
    end: { line: node.loc.end.line - 1, character: node.loc.end.column },
  };
}

interface Scope {
  /** How many `{{#each}}` blocks deep: each one changes what `this` is. */
  readonly contextDepth: number;
  /** Block parameters in scope, innermost last. */
  readonly blockParams: readonly string[];
}

class Walker {
  readonly references: VariableReference[] = [];
  readonly helpers: HelperReference[] = [];
  readonly problems: TemplateProblem[] = [];
  private scope: Scope = { contextDepth: 0, blockParams: [] };

  program(program: hbs.AST.Program, nesting: number): void {
    for (const statement of program.body) this.statement(statement, nesting);
  }

  private problem(code: TemplateErrorCode, message: string, node: hbs.AST.Node | undefined, extra: { helper?: string; variable?: string } = {}): void {
    const range = rangeOf(node);
    this.problems.push({ code, message: `${message} (${describePosition(range.start)}).`, range, ...extra });
  }

  private statement(node: hbs.AST.Statement, nesting: number): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, nesting);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, nesting);
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.problem('forbidden', 'Partials ({{> name}}) are not available in NeuroLake templates', node);
      case 'Decorator':
      case 'DecoratorBlock':
        return this.problem('forbidden', 'Decorators ({{* name}}) are not available in NeuroLake templates', node);
      default:
        return this.problem('forbidden', `Unexpected template construct ${node.type}`, node);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, nesting: number): void {
    if (node.path.type !== 'PathExpression') {
      return this.problem('forbidden', 'A {{…}} must name a variable or a helper, not a literal', node);
    }
    const path = node.path as hbs.AST.PathExpression;
    const helperName = this.helperName(path, node.params.length > 0);
    if (helperName === undefined && node.params.length === 0 && node.hash === undefined) {
      this.path(path, 'output', undefined, true);
      return;
    }
    this.call(helperName, node, false, true, nesting);
  }

  private block(node: hbs.AST.BlockStatement, nesting: number): void {
    if (nesting >= MAX_NESTING) {
      return this.problem('too-large', `Blocks are nested more than ${MAX_NESTING} deep`, node);
    }
    const name = this.helperName(node.path, true);
    this.call(name, node, true, false, nesting, name === 'each' ? 'iteration' : 'condition');
    const blockParams = node.program?.blockParams ?? [];
    if (blockParams.length > 0 && name !== 'each') {
      this.problem('forbidden', `Only {{#each}} takes block parameters (as |…|)`, node);
    }
    const outer = this.scope;
    if (name === 'each') this.scope = { contextDepth: outer.contextDepth + 1, blockParams: [...outer.blockParams, ...blockParams] };
    if (node.program) this.program(node.program, nesting + 1);
    this.scope = outer;
    if (node.inverse) this.program(node.inverse, nesting + 1);
  }

  /** A helper name when the path names one of NeuroLake's helpers (or must, having arguments). */
  private helperName(path: hbs.AST.PathExpression, mustBeHelper: boolean): string | undefined {
    const simple = !path.data && path.depth === 0 && path.parts.length === 1;
    const name = path.parts[0] ?? '';
    if (simple && findHelper(name)) return name;
    return mustBeHelper ? path.original : undefined;
  }

  /** Checks a helper call and walks its arguments. */
  private call(
    name: string | undefined,
    node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression,
    asBlock: boolean,
    rawContext: boolean,
    nesting: number,
    /** How a block helper uses its first argument. */
    subjectUsage: ReferenceUsage = 'argument',
  ): void {
    if (nesting >= MAX_NESTING) {
      return this.problem('too-large', `Helpers are nested more than ${MAX_NESTING} deep`, node);
    }
    const path = node.path as hbs.AST.PathExpression;
    const helper = name === undefined ? undefined : findHelper(name);
    if (name !== undefined && this.touchesPrototype(path)) {
      this.problem('forbidden', `"${path.original}" reaches into a value's prototype, which templates may not do`, path);
    } else if (name !== undefined && name in REFUSED_HELPERS) {
      this.problem('forbidden', REFUSED_HELPERS[name] ?? '', path, { helper: name });
    } else if (!helper) {
      this.problem('unknown-helper', `Unknown helper "${name ?? path.original}": templates may call only NeuroLake's helpers`, path, { helper: name ?? path.original });
    } else {
      this.helpers.push({ name: helper.name, range: rangeOf(path) });
      if (helper.block !== asBlock) {
        const how = helper.block ? `a block helper: write {{#${helper.name} …}}…{{/${helper.name}}}` : `not a block helper: write {{${helper.name} …}}`;
        this.problem('unknown-helper', `"${helper.name}" is ${how}`, path, { helper: helper.name });
        } else if (node.params.length < helper.minArgs || node.params.length > helper.maxArgs) {
        const wanted = helper.minArgs === helper.maxArgs ? `${helper.minArgs}` : helper.maxArgs === Number.POSITIVE_INFINITY ? `at least ${helper.minArgs}` : `${helper.minArgs} to ${helper.maxArgs}`;
        this.problem('unknown-helper', `"${helper.name}" takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${node.params.length}: ${helper.signature}`, node, { helper: helper.name });
        }
    }
    if (node.hash && node.hash.pairs.length > 0) {
      this.problem('forbidden', `Helpers take no name=value arguments ("${node.hash.pairs[0]?.key ?? ''}=")`, node.hash);
    }
    const passesThrough = rawContext && (helper?.passesTextThrough ?? false);
    node.params.forEach((param, index) =>
      this.expression(param, helper?.name ?? name, passesThrough, nesting + 1, index === 0 ? subjectUsage : 'argument'),
    );
  }

  private expression(node: hbs.AST.Expression, helper: string | undefined, raw: boolean, nesting: number, usage: ReferenceUsage): void {
    switch (node.type) {
      case 'PathExpression':
        return this.path(node as hbs.AST.PathExpression, usage, usage === 'argument' ? helper : undefined, raw);
      case 'SubExpression': {
        const sub = node as hbs.AST.SubExpression;
        this.call(this.helperName(sub.path, true), sub, false, raw, nesting);
        return;
      }
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
      case 'UndefinedLiteral':
      case 'NullLiteral':
        return;
      default:
        return this.problem('forbidden', `Unexpected expression ${node.type}`, node);
    }
  }

  private touchesPrototype(path: hbs.AST.PathExpression): boolean {
    return path.parts.some((part) => PROTOTYPE_NAMES.has(part) || part.startsWith('__'));
  }

  private path(path: hbs.AST.PathExpression, usage: ReferenceUsage, helper: string | undefined, raw: boolean): void {
    if (this.touchesPrototype(path)) {
      return this.problem('forbidden', `"${path.original}" reaches into a value's prototype, which templates may not do`, path);
    }
    let name: string | undefined;
    let rest: string[];
    if (path.data) {
      const [head, ...tail] = path.parts;
      if (head === 'root' && tail.length > 0) {
        [name, ...rest] = tail as [string, ...string[]];
      } else if (head !== undefined && DATA_VARIABLES.has(head) && tail.length === 0 && this.scope.contextDepth > 0) {
        return;
      } else {
        return this.problem('forbidden', `"${path.original}" is not available: use @index, @first, @last or @key inside {{#each}}, or @root.name`, path);
      }
    } else {
      const [head, ...tail] = path.parts;
      if (path.depth > 0) {
        // Handlebars only stacks a context that differs from the one before, so with list items
        // (plain strings, often equal) `../` can land on the wrong level. @root is always right.
        return this.problem('forbidden', `"${path.original}": write @root.${path.parts.join('.') || 'name'} to reach a variable from inside {{#each}}`, path, head === undefined ? {} : { variable: head });
      }
      if (head === undefined) {
        // `this`: the current item inside {{#each}}; at the top it is the whole set of values.
        if (this.scope.contextDepth === 0) this.problem('forbidden', '`this` at the top of a template is not a value: name a variable', path);
        return;
      }
      if (this.scope.blockParams.includes(head)) return;
      if (this.scope.contextDepth > 0) {
        return this.problem('undeclared-variable', `Inside {{#each}}, "${path.original}" would be looked up on the current item; write @root.${path.original} for the variable`, path, { variable: head });
      }
      name = head;
      rest = tail;
    }
    const badPart = rest.find((part) => part !== 'length' && !/^\d+$/.test(part));
    if (badPart !== undefined) {
      this.problem('forbidden', `"${path.original}": a variable's value has no field "${badPart}" (only a list's length or [index])`, path, { variable: name });
    }
    if (name === DIALECT_VARIABLE) return;
    this.references.push({ name, range: rangeOf(path), usage, raw, ...(helper === undefined ? {} : { helper }) });
  }
}
