// Catalog entries as editable documents: `neurolake-catalog:/<id>/<name>.jsonc`. Saving one
// registers a new version through the server; built-ins and old versions open read-only.
import * as vscode from 'vscode';
import { CatalogGetRequest, CatalogUpdateRequest, type CatalogEntry } from '../server/protocol';
import { entryDocument, parseEntryDocument } from './catalogEntryText';
import { type Ctx } from './ctx';

export const CATALOG_SCHEME = 'neurolake-catalog';

export function entryUri(entry: Pick<CatalogEntry, 'id' | 'name'>, version?: string): vscode.Uri {
  const file = `${entry.name.replace(/[^\w.-]+/g, '_')}${version === undefined ? '' : `@${version}`}.jsonc`;
  return vscode.Uri.from({ scheme: CATALOG_SCHEME, path: `/${encodeURIComponent(entry.id)}/${file}`, query: version === undefined ? '' : `version=${version}` });
}

function parseUri(uri: vscode.Uri): { id: string; version?: string } {
  const id = decodeURIComponent(uri.path.split('/')[1] ?? '');
  const version = new URLSearchParams(uri.query).get('version') ?? undefined;
  return version === undefined ? { id } : { id, version };
}

export class CatalogFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly open = new Map<string, vscode.Uri>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    // An entry edited in another window (or re-versioned here) updates the open document.
    this.subscription = ctx.onDidChangeCatalog((ids) => {
      const events = [...this.open.values()]
        .filter((uri) => ids.length === 0 || ids.includes(parseUri(uri).id))
        .map((uri) => ({ type: vscode.FileChangeType.Changed, uri }));
      if (events.length > 0) this.changed.fire(events);
    });
  }

  watch(uri: vscode.Uri): vscode.Disposable {
    this.open.set(uri.toString(), uri);
    return new vscode.Disposable(() => this.open.delete(uri.toString()));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    // `/<id>` is the folder an entry's document lives in; VS Code checks it before a write.
    if (uri.path.split('/').filter(Boolean).length < 2) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const { entry, text, readOnly } = await this.load(uri);
    const time = Date.parse(entry.updatedAt);
    return {
      type: vscode.FileType.File,
      ctime: Date.parse(entry.createdAt),
      mtime: time,
      size: Buffer.byteLength(text),
      ...(readOnly === undefined ? {} : { permissions: vscode.FilePermission.Readonly }),
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return Buffer.from((await this.load(uri)).text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { id, version } = parseUri(uri);
    if (version !== undefined) throw vscode.FileSystemError.NoPermissions('Old versions are read-only; edit the current version.');
    let changes: Record<string, unknown>;
    try {
      changes = parseEntryDocument(Buffer.from(content).toString('utf8'));
    } catch (error) {
      throw new vscode.FileSystemError(`The entry was not saved: ${(error as Error).message}.`);
    }
    try {
      const saved = await this.ctx.request(CatalogUpdateRequest, { id, changes });
      this.ctx.log.info(`Saved ${saved.name} as version ${saved.version}.`);
      void vscode.window.setStatusBarMessage(`$(check) ${saved.name} saved as v${saved.version}`, 4000);
    } catch (error) {
      throw new vscode.FileSystemError(`The entry was not saved: ${(error as Error).message}`);
    }
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(): never {
    throw vscode.FileSystemError.FileNotADirectory();
  }
  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('The catalog has no folders.');
  }
  delete(): never {
    throw vscode.FileSystemError.NoPermissions('Use "NeuroLake: Delete Catalog Entry" to delete an entry.');
  }
  rename(): never {
    throw vscode.FileSystemError.NoPermissions('Rename an entry by editing its name and saving.');
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async load(uri: vscode.Uri): Promise<{ entry: CatalogEntry; text: string; readOnly?: string }> {
    const { id, version } = parseUri(uri);
    let entry: CatalogEntry;
    try {
      entry = await this.ctx.request(CatalogGetRequest, version === undefined ? { id } : { id, version });
    } catch (error) {
      throw vscode.FileSystemError.FileNotFound(`${(error as Error).message}`);
    }
    const readOnly =
      entry.builtin === true ? 'built into NeuroLake; use "Copy to My Catalog" to make your own.' : version !== undefined ? `version ${version}, kept for history.` : undefined;
    return { entry, text: entryDocument(entry, readOnly), ...(readOnly === undefined ? {} : { readOnly }) };
  }
}
