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
  readonly cost: CostSettings;
  readonly compute: ComputeSettings;
}

/** Where workloads may run: this machine's limits, and the Slurm cluster they burst to. */
export interface ComputeSettings {
  /** Share of this machine's CPU (0–100) NeuroLake's workloads and everything else may use before a workload waits or bursts. */
  readonly localCpuLimitPct: number;
  readonly localMemoryLimitPct: number;
  /** Whether a workload that cannot run here in time may go to the cluster. */
  readonly burst: boolean;
  /** A workload that must burst while the cluster is down waits for it, or is refused. */
  readonly whenClusterDown: 'queue' | 'refuse';
  /** Exit codes that mean retrying will not help, for every workload (126 and 127 always are). */
  readonly noRetryExitCodes: readonly number[];
  /** How long a workload may wait before it must start somewhere; null: its type's default. */
  readonly defaultMaxWaitMinutes: number | null;
  /**
   * Share of workloads (50–100 percent) that must start within their maximum wait. 100: every
   * maximum wait is a deadline. Below, a workload that would start here late and would cost the
   * most to burst may wait for this machine instead, while the on-time share stays at the target.
   */
  readonly onTimeTargetPct: number;
  readonly slurm: SlurmSettings;
}

/** The Slurm cluster, reached through slurmrestd; its token is a secret and never a setting. */
export interface SlurmSettings {
  /** slurmrestd's address, e.g. http://cluster:6820; empty: no cluster, everything runs here. */
  readonly url: string;
  /** The REST API version: v0.0.38 for Slurm 22.05, later for newer Slurm. */
  readonly apiVersion: string;
  /** Empty: the cluster's default partition. */
  readonly partition: string;
  /** The Slurm user the token belongs to; empty: the user NeuroLake runs as. */
  readonly user: string;
  /** A folder this machine and the cluster's nodes see at the same path; empty: burst files go through the cloud tier. */
  readonly sharedFolder: string;
}

/**
 * The environment variable the Slurm JWT reaches the server in: the extension sets it when it
 * starts the server (from SecretStorage), so the token is in no message and no LSP trace.
 */
export const SLURM_TOKEN_ENV = 'NEUROLAKE_SLURM_JWT';

/** The slurmrestd API versions NeuroLake speaks (22.05: v0.0.38; 23.02: v0.0.39; 23.11 and later: v0.0.40). */
export const SLURM_API_VERSIONS = ['v0.0.38', 'v0.0.39', 'v0.0.40'] as const;

/** How cost insight prices things: a preset, the user's overrides, and the local machine. */
export interface CostSettings {
  /** "aws", "seed", or a price book saved in the data folder (an imported price list). */
  readonly preset: string;
  /** A partial price book laid over the preset; the cost engine checks every number in it. */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The local machine: what it cost, the months it is written off over, what it draws; null: the preset's. */
  readonly hardwareUsd: number | null;
  readonly hardwareLifeMonths: number | null;
  readonly powerWatts: number | null;
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
  'neurolake.cost.preset': 'aws',
  'neurolake.cost.overrides': {},
  'neurolake.cost.hardwareUsd': null,
  'neurolake.cost.hardwareLifeMonths': null,
  'neurolake.cost.powerWatts': null,
  'neurolake.compute.localCpuLimitPct': 80,
  'neurolake.compute.localMemoryLimitPct': 80,
  'neurolake.compute.burst': true,
  'neurolake.compute.whenClusterDown': 'queue',
  'neurolake.compute.noRetryExitCodes': [],
  'neurolake.compute.defaultMaxWaitMinutes': null,
  'neurolake.compute.onTimeTargetPct': 100,
  'neurolake.compute.slurm.url': '',
  'neurolake.compute.slurm.apiVersion': 'v0.0.38',
  'neurolake.compute.slurm.partition': '',
  'neurolake.compute.slurm.user': '',
  'neurolake.compute.slurm.sharedFolder': '',
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

  const preset = pick('neurolake.cost.preset', (v): v is string => typeof v === 'string' && v.trim() !== '', 'the name of a price preset, such as aws or seed').trim();
  const overrides = pick(
    'neurolake.cost.overrides',
    (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
    'an object of prices, such as { "storage": { "cloud": { "usdPerGbMonth": 0.021 } } }',
  );
  const amount = (max: number) => (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max;
  const hardwareUsd = pick('neurolake.cost.hardwareUsd', amount(10_000_000), 'an amount in US dollars of at least 0, or null for the preset\'s');
  const hardwareLifeMonths = pick(
    'neurolake.cost.hardwareLifeMonths',
    (v): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 240,
    'a whole number of months from 1 to 240, or null for the preset\'s',
  );
  const powerWatts = pick('neurolake.cost.powerWatts', amount(100_000), 'a number of watts of at least 0, or null for the preset\'s');

  const percent = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100;
  const localCpuLimitPct = pick('neurolake.compute.localCpuLimitPct', percent, 'a percentage above 0 and at most 100');
  const localMemoryLimitPct = pick('neurolake.compute.localMemoryLimitPct', percent, 'a percentage above 0 and at most 100');
  const burst = pick('neurolake.compute.burst', (v): v is boolean => typeof v === 'boolean', 'true or false');
  const whenClusterDown = pick('neurolake.compute.whenClusterDown', (v): v is 'queue' | 'refuse' => v === 'queue' || v === 'refuse', 'queue or refuse');
  const noRetryExitCodes = pick(
    'neurolake.compute.noRetryExitCodes',
    (v): v is number[] => Array.isArray(v) && v.every((code) => Number.isInteger(code) && code >= 0 && code <= 255),
    'a list of exit codes from 0 to 255, such as [2, 64]',
  );
  const defaultMaxWaitMinutes = pick(
    'neurolake.compute.defaultMaxWaitMinutes',
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 7 * 24 * 60,
    'a number of minutes from 0 to 10080 (a week), or null for each type\'s default',
  );
  const onTimeTargetPct = pick(
    'neurolake.compute.onTimeTargetPct',
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 50 && v <= 100,
    'a percentage from 50 to 100 (100: every maximum wait is a deadline)',
  );
  const text = (key: SettingKey, expected: string, valid: (v: string) => boolean = () => true): string =>
    String(pick(key, (v): v is string => typeof v === 'string' && valid(v.trim()), expected)).trim();
  const slurm: SlurmSettings = {
    url: text('neurolake.compute.slurm.url', 'an http or https address of slurmrestd, such as http://cluster:6820, or empty for no cluster', (v) => v === '' || /^https?:\/\/[^\s/]+/.test(v)),
    apiVersion: text('neurolake.compute.slurm.apiVersion', `one of ${SLURM_API_VERSIONS.join(', ')}`, (v) => (SLURM_API_VERSIONS as readonly string[]).includes(v)),
    partition: text('neurolake.compute.slurm.partition', 'a partition name, or empty for the default'),
    user: text('neurolake.compute.slurm.user', 'a user name, or empty for yours', (v) => !/\s/.test(v)),
    sharedFolder: text('neurolake.compute.slurm.sharedFolder', 'an absolute folder path, or empty', (v) => v === '' || v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v)),
  };

  return {
    settings: {
      dataFolder,
      catalog: { file: catalogFile },
      sql: { dialect },
      format: { keywordCase, linesBetweenQueries },
      server: { maxRestarts },
      trace: { server: traceServer },
      cost: { preset, overrides, hardwareUsd, hardwareLifeMonths, powerWatts },
      compute: { localCpuLimitPct, localMemoryLimitPct, burst, whenClusterDown, noRetryExitCodes, defaultMaxWaitMinutes, onTimeTargetPct, slurm },
    },
    problems,
  };
}

/** What the extension hands the server at start-up, in `initializationOptions`. */
export interface InitializationOptions {
  readonly settings: NeuroLakeSettings;
  /** Folder a relative `neurolake.dataFolder` is resolved against (the first workspace folder). */
  readonly workspaceFolder?: string;
}

/** Sent by the extension when `neurolake.*` settings change, already normalised. */
export const DidChangeSettingsNotification = notification<NeuroLakeSettings>('neurolake/didChangeSettings');
