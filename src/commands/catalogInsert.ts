// Catalog commands that meet the editor: insert an entry at the cursor (asking for a template's
// variables), and register the selected SQL as a new template.
import * as vscode from 'vscode';
import {
  CatalogDetectVariablesRequest,
  CatalogGetRequest,
  CatalogRecordUsageRequest,
  CatalogRegisterRequest,
  CatalogRenderRequest,
  SQL_DIALECTS,
  TEMPLATE_KINDS,
  TemplateCheckValueRequest,
  VARIABLE_TYPES,
  type CatalogEntry,
  type SqlDialect,
  type VariableValue,
} from '../../server/protocol';
import { type Ctx } from '../ctx';
import { resolveEntry } from './catalogPick';
import { type CommandFactories } from './registry';
import { answerValue, defaultText, validateValue, valuePrompt, type CheckValue } from './variableAnswers';

type TemplateEntry = Extract<CatalogEntry, { kind: 'template' }>;

/** Asks for each variable in turn; undefined when the user gives up. */
async function askValues(ctx: Ctx, template: TemplateEntry, given: Record<string, VariableValue> = {}): Promise<Record<string, VariableValue> | undefined> {
  const check: CheckValue = (params) => ctx.request(TemplateCheckValueRequest, params);
  const values: Record<string, VariableValue> = { ...given };
  const asked = template.variables.filter((variable) => !(variable.name in given));
  for (const [index, variable] of asked.entries()) {
    const text = await vscode.window.showInputBox({
      title: `${template.name}: ${variable.name} (${index + 1}/${asked.length})`,
      prompt: valuePrompt(variable),
      value: defaultText(variable),
      ignoreFocusOut: true,
      validateInput: (input) => validateValue(check, variable, input),
    });
    if (text === undefined) return undefined;
    const value = await answerValue(check, variable, text);
    if (value !== undefined) values[variable.name] = value;
  }
  return values;
}

async function pickDialect(template: TemplateEntry, editor: vscode.TextEditor | undefined, given?: SqlDialect): Promise<SqlDialect | undefined> {
  if (given !== undefined) return given;
  if (template.dialects.length === 1) return template.dialects[0];
  const configured = editor === undefined ? undefined : vscode.workspace.getConfiguration('neurolake', editor.document).get<string>('sql.dialect');
  if (configured !== undefined && template.dialects.includes(configured as SqlDialect)) return configured as SqlDialect;
  const chosen = await vscode.window.showQuickPick(
    template.dialects.map((dialect) => ({ label: dialect })),
    { title: `${template.name}: SQL dialect` },
  );
  return chosen?.label as SqlDialect | undefined;
}

async function insertText(editor: vscode.TextEditor, text: string): Promise<void> {
  const ok = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, text);
  });
  if (!ok) throw new Error('The editor refused the insertion (it may be read-only).');
}

export const catalogInsertCommands: CommandFactories = {
  /**
   * Inserts an entry at the cursor: a template rendered with the user's values and formatted,
   * a business rule's expression, or a pipeline's logic. Arguments (for keybindings and tests):
   * (entry, { values, dialect }) skips the questions already answered.
   */
  'neurolake.catalog.insert':
    ({ ctx }) =>
    async (arg?: unknown, options?: { values?: Record<string, VariableValue>; dialect?: SqlDialect }) => {
      const target = await resolveEntry(ctx, arg, 'Insert into Editor');
      if (target === undefined) return undefined;
      let editor = vscode.window.activeTextEditor;
      if (editor === undefined) {
        const document = await vscode.workspace.openTextDocument({ language: 'sql', content: '' });
        editor = await vscode.window.showTextDocument(document);
      }
      const entry = await ctx.request(CatalogGetRequest, { id: target.id });
      if (entry.deprecated !== undefined) void vscode.window.showWarningMessage(`${entry.name} is deprecated: ${entry.deprecated.reason}`);
      let text: string;
      if (entry.kind === 'template') {
        const values = await askValues(ctx, entry, options?.values);
        if (values === undefined) return undefined;
        const dialect = await pickDialect(entry, editor, options?.dialect);
        if (dialect === undefined) return undefined;
        const tabWidth = typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 2;
        const useTabs = editor.options.insertSpaces === false;
        const rendered = await ctx.request(CatalogRenderRequest, { id: entry.id, values, dialect, indent: { tabWidth, useTabs } });
        for (const warning of rendered.warnings) ctx.log.warn(`${entry.name}: ${warning}`);
        text = rendered.sql;
      } else if (entry.kind === 'businessLogic') {
        text = entry.expression;
      } else {
        text = JSON.stringify(entry.logic, null, 2);
      }
      await insertText(editor, text);
      await ctx.request(CatalogRecordUsageRequest, { id: entry.id, action: 'inserted' });
      return text;
    },

  /**
   * Registers the selection as a template: finds its {{variables}}, asks for name, kind, dialects
   * and each variable's type. Arguments (for tests and scripts) answer the questions instead.
   */
  'neurolake.catalog.registerSelection':
    ({ ctx }) =>
    async (answers?: { name?: string; description?: string; tags?: string[]; templateKind?: string; dialects?: SqlDialect[]; types?: Record<string, string> }) => {
      const editor = vscode.window.activeTextEditor;
      const body = editor === undefined ? '' : editor.document.getText(editor.selection.isEmpty ? undefined : editor.selection).trim();
      if (body === '') {
        void vscode.window.showInformationMessage('Select the SQL to register first (use {{name}} for the parts that change).');
        return undefined;
      }
      const { variables } = await ctx.request(CatalogDetectVariablesRequest, { body });
      const name =
        answers?.name ??
        (await vscode.window.showInputBox({
          title: 'Register Selection as Template',
          prompt: `Template name${variables.length > 0 ? ` (variables found: ${variables.join(', ')})` : ''}`,
          validateInput: (value) => (value.trim() === '' ? 'A name is required.' : undefined),
        }));
      if (name === undefined) return undefined;
      const description = answers?.description ?? (await vscode.window.showInputBox({ title: name, prompt: 'What does it do? (searchable)' }));
      if (description === undefined) return undefined;
      const tagText = answers?.tags?.join(',') ?? (await vscode.window.showInputBox({ title: name, prompt: 'Tags, separated by commas (optional)' }));
      if (tagText === undefined) return undefined;
      const templateKind =
        answers?.templateKind ?? (await vscode.window.showQuickPick([...TEMPLATE_KINDS], { title: `${name}: kind of template` }));
      if (templateKind === undefined) return undefined;
      const dialects =
        answers?.dialects ??
        (await vscode.window.showQuickPick(SQL_DIALECTS.map((d) => ({ label: d, picked: d === 'sql' })), { title: `${name}: dialects it is written for`, canPickMany: true }))?.map(
          (item) => item.label as SqlDialect,
        );
      if (dialects === undefined || dialects.length === 0) return undefined;
      const declared = [];
      for (const variable of variables) {
        const type =
          answers?.types?.[variable] ??
          (await vscode.window.showQuickPick([...VARIABLE_TYPES], { title: `${name}: type of {{${variable}}}`, placeHolder: 'identifiers are checked so no SQL can be injected' }));
        if (type === undefined) return undefined;
        declared.push({ name: variable, type, description: '', required: true });
      }
      const entry = await ctx.request(CatalogRegisterRequest, {
        entry: { kind: 'template', name, description, tags: tagText, templateKind, dialects, body, variables: declared },
      });
      void vscode.window.showInformationMessage(`Registered ${entry.name} (v${entry.version}) in the catalog.`);
      return entry;
    },
};
