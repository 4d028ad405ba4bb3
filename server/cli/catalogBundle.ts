// `neurolake catalog export|import`: share entries between catalogs as one bundle file.
import { stat, writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { MAX_BUNDLE_BYTES, type Catalog, type ConflictMode, type EntryKind } from '../engines/catalog';
import type { WorkOptions } from '../engines/common';
import { readInputFile, withCatalog, type CatalogCliContext } from './catalogContext';
import { formatImport } from './catalogFormat';
import { EXIT } from './exitCodes';
import { CliError, print, type OutputOptions } from './output';
import { withCliProgress } from './progress';

export interface ExportOptions extends OutputOptions {
  readonly out?: string;
  readonly tag?: string[];
  readonly kind?: EntryKind;
}

export async function exportCommand(ctx: CatalogCliContext, options: ExportOptions): Promise<void> {
  const { text, count } = await withCatalogWork(ctx, (catalog, work) => catalog.exportBundleText({ tags: options.tag, kind: options.kind }, work));
  if (options.out === undefined) {
    ctx.io.out(text);
    return;
  }
  try {
    await writeFile(options.out, `${text}\n`);
  } catch (error) {
    throw new CliError(`--out: cannot write ${options.out}: ${(error as Error).message}`, EXIT.general);
  }
  const summary = { file: options.out, entries: count };
  print(ctx.io, options, summary, () => `Exported ${summary.entries} ${summary.entries === 1 ? 'entry' : 'entries'} to ${summary.file}`);
}

export interface ImportOptions extends OutputOptions {
  readonly mode: ConflictMode;
  readonly dryRun?: boolean;
}

const MODES: Readonly<Record<string, ConflictMode>> = { skip: 'skip', overwrite: 'overwrite', 'new-version': 'newVersion' };

export function parseMode(value: string): ConflictMode {
  const mode = MODES[value];
  if (mode === undefined) throw new InvalidArgumentError(`use one of ${Object.keys(MODES).join(', ')}.`);
  return mode;
}

export async function importCommand(ctx: CatalogCliContext, file: string, options: ImportOptions): Promise<void> {
  // Refuse an oversized bundle from its size alone, before reading it or opening the catalog.
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new CliError(`no such file ${file}`, EXIT.notFound);
  }
  if (size > MAX_BUNDLE_BYTES) {
    throw new CliError(`The bundle ${file} is ${megabytes(size)} MB, larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MB; split it by tag or kind.`, EXIT.invalidInput);
  }
  const text = await readInputFile(file, 'import');
  const report = await withCatalogWork(ctx, (catalog, work) => catalog.importBundle(text, { mode: options.mode, dryRun: options.dryRun === true, ...work }));
  print(ctx.io, options, report, () => formatImport(report));
}

/** Long work on the catalog, with progress and Ctrl-C; opening may wait for another process's lock, so it is a phase too. */
function withCatalogWork<T>(ctx: CatalogCliContext, work: (catalog: Catalog, options: WorkOptions) => Promise<T>): Promise<T> {
  return withCliProgress(ctx.io, (options) => {
    options.progress?.report({ message: 'Opening the catalog' });
    return withCatalog(ctx, (catalog) => work(catalog, options));
  });
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
