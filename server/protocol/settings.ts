// The one definition of NeuroLake's settings: their type, defaults, normalisation, and the
// messages that carry them to the server.
// package.json's `contributes.configuration` must agree with SETTING_DEFAULTS (a unit test checks).

import { SQL_DIALECTS, type SqlDialect } from './catalogEntry';
import { notification } from './descriptors';

export type TraceLevel = 'off' | 'messages' | 'verbose';
export type KeywordCase = 'upper' | 'lower' | 'preserve';
export const KEYWORD_CASES: readonly KeywordCase[] = ['upper', 'lower', 'preserve'];

export interface NeuroLakeSettings {
  /** Raw `neurolake.dataFolder`; empty means NEUROLAKE_HOME or ~/.neurolake (see resolveDataFolder). */
  readonly dataFolder: string;
  /** Raw `neurolake.catalog.file`; empty means $NEUROLAKE_CATALOG_FILE, else `<data folder>/catalog.json` (see resolveLocation). */
  readonly catalog: { readonly file: string };
  /** Dialect a template is rendered for when it supports several, and SQL is formatted in. */
  readonly sql: { readonly dialect: SqlDialect };
  /** How SQL is laid out when formatted; indentation comes from the editor's own options. */
  readonly format: { readonly keywordCase: KeywordCase; readonly linesBetweenQueries: number };
  readonly server: { readonly maxRestarts: number };
  readonly trace: { readonly server: TraceLevel };
}

/** Every setting under `neurolake.`, flattened to its full key, with its default. */
export const SETTING_DEFAULTS = {
  'neurolake.dataFolder': '',
  'neurolake.catalog.file': '',
  'neurolake.sql.dialect': 'postgresql',
  'neurolake.format.keywordCase': 'upper',
  'neurolake.format.linesBetweenQueries': 1,
  'neurolake.server.maxRestarts': 4,
  'neurolake.trace.server': 'off',
} as const satisfies Record<string, unknown>;

export type SettingKey = keyof typeof SETTING_DEFAULTS;

const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];
const MAX_RESTARTS_LIMIT = 20;

/** A problem found while normalising, reported to the user instead of silently ignored. */
export interface SettingProblem {
  readonly key: SettingKey;
  readonly message: string;
}

export interface NormalisedSettings {
  readonly settings: NeuroLakeSettings;
  readonly problems: readonly SettingProblem[];
}

/**
 * Turns whatever the editor (or a hand-edited settings.json) holds into valid settings.
 * `read` returns the raw value of a full key, or undefined when unset. Invalid values fall back
 * to the default and are reported, so one typo never stops the server.
 */
export function normaliseSettings(read: (key: SettingKey) => unknown): NormalisedSettings {
  const problems: SettingProblem[] = [];
  const pick = <K extends SettingKey, T>(key: K, valid: (v: unknown) => v is T, expected: string): T | (typeof SETTING_DEFAULTS)[K] => {
    const raw = read(key);
    if (raw === undefined || raw === null) return SETTING_DEFAULTS[key];
    if (valid(raw)) return raw;
    problems.push({ key, message: `${key} must be ${expected}; using the default ${JSON.stringify(SETTING_DEFAULTS[key])}.` });
    return SETTING_DEFAULTS[key];
  };

  const dataFolder = pick('neurolake.dataFolder', (v): v is string => typeof v === 'string', 'a folder path').trim();
  const catalogFile = pick('neurolake.catalog.file', (v): v is string => typeof v === 'string', 'a file path').trim();
  const dialect = pick('neurolake.sql.dialect', (v): v is SqlDialect => SQL_DIALECTS.includes(v as SqlDialect), `one of ${SQL_DIALECTS.join(', ')}`);
  const keywordCase = pick('neurolake.format.keywordCase', (v): v is KeywordCase => KEYWORD_CASES.includes(v as KeywordCase), `one of ${KEYWORD_CASES.join(', ')}`);
  const linesBetweenQueries = pick(
    'neurolake.format.linesBetweenQueries',
    (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 5,
    'a whole number from 0 to 5',
  );
  const maxRestarts = pick(
    'neurolake.server.maxRestarts',
    (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_RESTARTS_LIMIT,
    `a whole number from 0 to ${MAX_RESTARTS_LIMIT}`,
  );
  const traceServer = pick(
    'neurolake.trace.server',
    (v): v is TraceLevel => TRACE_LEVELS.includes(v as TraceLevel),
    `one of ${TRACE_LEVELS.join(', ')}`,
  );

  return { settings: { dataFolder, catalog: { file: catalogFile }, sql: { dialect }, format: { keywordCase, linesBetweenQueries }, server: { maxRestarts }, trace: { server: traceServer } }, problems };
}

/** What the extension hands the server at start-up, in `initializationOptions`. */
export interface InitializationOptions {
  readonly settings: NeuroLakeSettings;
  /** Folder a relative `neurolake.dataFolder` is resolved against (the first workspace folder). */
  readonly workspaceFolder?: string;
}

/** Sent by the extension when `neurolake.*` settings change, already normalised. */
export const DidChangeSettingsNotification = notification<NeuroLakeSettings>('neurolake/didChangeSettings');
