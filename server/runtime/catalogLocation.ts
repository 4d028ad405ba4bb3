// Where the catalog lives and who registers entries, decided alike by the server and the CLI.
import { userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const CATALOG_FILE_NAME = 'catalog.json';

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
