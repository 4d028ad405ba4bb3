// Where NeuroLake keeps its data, decided the same way by the extension's server and the CLI,
// so both see one catalog, one local tier and one history.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { type EngineContext, type EngineStatus } from './engine';

export interface DataFolderContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** What a relative path is relative to: the workspace folder, or the CLI's working directory. */
  readonly base: string;
}

export function defaultDataFolderContext(base = process.cwd()): DataFolderContext {
  return { env: process.env, home: homedir(), base };
}

/** The setting wins; empty means $NEUROLAKE_HOME; unset means ~/.neurolake. `~` is expanded. */
export function resolveDataFolder(setting: string, ctx: DataFolderContext): string {
  const chosen = setting.trim() || ctx.env['NEUROLAKE_HOME']?.trim() || join(ctx.home, '.neurolake');
  const expanded = chosen === '~' ? ctx.home : chosen.startsWith('~/') ? join(ctx.home, chosen.slice(2)) : chosen;
  return isAbsolute(expanded) ? resolve(expanded) : resolve(ctx.base, expanded);
}

/**
 * Makes sure the folder exists and can be written, by writing and removing a probe file.
 * Resolves to undefined when usable, or to a sentence naming the folder and the cause.
 */
export async function checkDataFolder(folder: string): Promise<string | undefined> {
  const probe = join(folder, `.write-probe-${process.pid}`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a file stands where the folder should be'
            : code === 'EROFS'
              ? 'the file system is read-only'
              : (error as Error).message;
    return `Cannot use data folder ${folder}: ${reason} (${code}).`;
  }
}

/** The data folder check, reported among the engines so the status names an unusable folder first. */
export class DataFolderCheck {
  private constructor() {}

  /** Fails with the reason when the folder cannot be created or written. */
  static async open(context: EngineContext): Promise<DataFolderCheck> {
    const problem = await context.dataFolderProblem();
    if (problem !== undefined) throw new Error(problem);
    return new DataFolderCheck();
  }

  status(): EngineStatus {
    return { state: 'ready' };
  }

  async close(): Promise<void> {}
}
