// Typed access to `neurolake.*` settings, normalised by the shared protocol module so the
// extension and the server agree on every value.
import * as vscode from 'vscode';
import { normaliseSettings, type NormalisedSettings, type SettingKey } from '../server/protocol';

const SECTION = 'neurolake';

export function readSettings(): NormalisedSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return normaliseSettings((key: SettingKey) => config.get(key.slice(SECTION.length + 1)));
}

export function affectsNeuroLake(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}

/** The folder a relative data folder is resolved against: the first workspace folder on disk. */
export function workspaceFolderPath(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}
