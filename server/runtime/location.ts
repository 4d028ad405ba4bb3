// Where the data folder and the catalog live and who registers entries, decided alike by the
// server and the CLI, so both always open the same files.
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { defaultDataFolderContext, resolveDataFolder, type DataFolderContext } from './dataFolder';

export const CATALOG_FILE_NAME = 'catalog.json';

/** The raw choices: `neurolake.dataFolder` and `neurolake.catalog.file`, or the CLI's flags. Empty means unset. */
export interface LocationChoice {
  readonly dataFolder: string;
  readonly catalogFile: string;
}

export interface Location {
  readonly dataFolder: string;
  readonly catalogFile: string;
  /** True when neither a setting, a flag nor $NEUROLAKE_CATALOG_FILE chose the catalog file. */
  readonly catalogInDataFolder: boolean;
}

/**
 * The data folder (setting, else $NEUROLAKE_HOME, else ~/.neurolake) and the catalog file
 * (setting, else $NEUROLAKE_CATALOG_FILE, else `<data folder>/catalog.json`). Relative paths are
 * relative to `ctx.base`: the workspace folder in the server, the working directory in the CLI.
 */
export function resolveLocation(choice: LocationChoice, ctx: DataFolderContext = defaultDataFolderContext()): Location {
  const dataFolder = resolveDataFolder(choice.dataFolder, ctx);
  const chosen = choice.catalogFile.trim() || ctx.env['NEUROLAKE_CATALOG_FILE']?.trim() || '';
  return { dataFolder, catalogFile: resolveCatalogFile(chosen, dataFolder, ctx.base), catalogInDataFolder: chosen === '' };
}

/**
 * The catalog file: by default `<data folder>/catalog.json`; a setting such as
 * `.neurolake/catalog.json` (relative to the workspace) puts a team's shared catalog in the repo.
 */
export function resolveCatalogFile(setting: string, dataFolder: string, base: string): string {
  const chosen = setting.trim();
  if (chosen === '') return join(dataFolder, CATALOG_FILE_NAME);
  return isAbsolute(chosen) ? resolve(chosen) : resolve(base, chosen);
}

/** Recorded as the owner of entries registered without one: $NEUROLAKE_OWNER, else the OS user. */
export function defaultOwner(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env['NEUROLAKE_OWNER']?.trim();
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
