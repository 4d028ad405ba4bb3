// `neurolake catalog export|import`: share entries between catalogs as one bundle file.
import { stat, writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { MAX_BUNDLE_BYTES, type ConflictMode, type EntryKind } from '../engines/catalog';
import { readInputFile, withCatalog, type CatalogCliContext } from './catalogContext';
import { formatImport } from './catalogFormat';
import { EXIT } from './exitCodes';
import { CliError, print, type OutputOptions } from './output';

export interface ExportOptions extends OutputOptions {
  readonly out?: string;
  readonly tag?: string[];
  readonly kind?: EntryKind;
}

export async function exportCommand(ctx: CatalogCliContext, options: ExportOptions): Promise<void> {
  const bundle = await withCatalog(ctx, (catalog) => catalog.exportBundle({ tags: options.tag, kind: options.kind }));
  const text = JSON.stringify(bundle, null, 2);
  if (options.out === undefined) {
    ctx.io.out(text);
    return;
  }
  try {
    await writeFile(options.out, `${text}\n`);
  } catch (error) {
    throw new CliError(`--out: cannot write ${options.out}: ${(error as Error).message}`, EXIT.general);
  }
  const summary = { file: options.out, entries: bundle.entries.length };
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
  const report = await withCatalog(ctx, (catalog) => catalog.importBundle(text, { mode: options.mode, dryRun: options.dryRun === true }));
  print(ctx.io, options, report, () => formatImport(report));
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
