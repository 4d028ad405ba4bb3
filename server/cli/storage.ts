// `neurolake storage …`: store, read, list, move and check objects on the local, cloud and
// archive tiers from the shell, on the same data folder (index, local tier, configuration) as the
// extension. Every command takes --json; put and get take `-` for stdin and stdout.
import { createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import {
  ARCHIVE_CLASSES,
  CloudTier,
  StorageError,
  cloudAfterChange,
  configFile,
  normaliseConfig,
  readStorageConfig,
  writeStorageConfig,
  type ArchiveClass,
  type CloudConfig,
  type MoveKind,
  type StorageConfig,
  type StorageEngine,
} from '../engines/storage';
import { isStoragePreset } from '../engines/prices';
import { EXIT } from './exitCodes';
import { CliError, print, type OutputOptions } from './output';
import { withCliProgress } from './progress';
import { asCliError, STORAGE_EXIT_CODES_HELP, withStorage, type StorageCliContext } from './storageContext';
import { formatConfig, formatListing, formatObject, formatPlan, formatStats, formatStored, formatVerify } from './storageFormat';

const EXAMPLES = `
Examples:
  $ neurolake storage configure --endpoint http://127.0.0.1:9000 --bucket lake --capacity-gb 50
  $ neurolake storage put sales_2024.parquet datasets/sales_2024.parquet
  $ pg_dump shop | neurolake storage put - backups/shop.sql
  $ neurolake storage ls datasets/ --json
  $ neurolake storage get datasets/sales_2024.parquet - | duckdb -c "…"
  $ neurolake storage optimize            # the plan; add --apply to carry it out
  $ neurolake storage stats --json`;

interface ListCommandOptions extends OutputOptions {
  readonly limit?: number;
  readonly cursor?: string;
  readonly recursive?: boolean;
}

interface ConfigureOptions extends OutputOptions {
  readonly bucket?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix?: string;
  readonly pathStyle?: boolean;
  readonly checksums?: string;
  readonly checksSignedPayload?: boolean;
  readonly noCloud?: boolean;
  readonly cloud?: boolean;
  readonly capacityGb?: number;
  readonly watermark?: number;
  readonly localPath?: string;
  readonly archiveClass?: string;
  readonly archiveBucket?: string;
  readonly archiveAfterDays?: number;
  readonly writeThrough?: boolean;
  readonly prices?: string;
  readonly localPrice?: number;
  readonly check?: boolean;
  readonly createBucket?: boolean;
}

export function addStorageCommands(program: Command, ctx: StorageCliContext): Command {
  const storage = program
    .command('storage')
    .description('objects on the local, cloud (S3) and archive tiers')
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .enablePositionalOptions(false)
    .addHelpText('after', `${STORAGE_EXIT_CODES_HELP}\n${EXAMPLES}`);

  const leaf = (name: string, description: string): Command => storage.command(name).description(description).option('--json', 'print JSON');

  leaf('put', 'store a file, a folder (every file under it) or stdin (-) under a key')
    .argument('<source>', 'file, folder, or - for standard input')
    .argument('[key]', 'key to store under (default: the file name; for a folder, its name as the prefix)')
    .action((source: string, key: string | undefined, options: OutputOptions) =>
      withStorage(ctx, (engine) =>
        withCliProgress(ctx.io, async (work) => {
          if (source === '-') {
            if (key === undefined) throw new CliError('put -: give the key to store standard input under', EXIT.usage);
            const info = await engine.store(key, process.stdin, work);
            print(ctx.io, options, info, () => formatStored(info));
            return;
          }
          const kind = await sourceKind(source);
          if (kind === 'file') {
            const info = await engine.store(key ?? basename(source), { path: source }, work);
            print(ctx.io, options, info, () => formatStored(info));
            return;
          }
          const prefix = key ?? basename(resolve(source));
          const files = await listFolder(source);
          for (const [index, file] of files.entries()) {
            const objectKey = `${prefix.replace(/\/+$/, '')}/${file.split(sep).join('/')}`;
            const info = await engine.store(objectKey, { path: join(source, file) }, {
              ...(work.signal ? { signal: work.signal } : {}),
              progress: { report: (update) => work.progress?.report({ ...update, message: `[${index + 1}/${files.length}] ${update.message ?? ''}` }) },
            });
            // One line per object as soon as it is durable, so a script (or a crash) knows what is stored.
            ctx.io.out(options.json === true ? JSON.stringify(info) : formatStored(info));
          }
          if (files.length === 0) ctx.io.err(`neurolake: ${source} holds no files; nothing stored`);
        }),
      ),
    );

  leaf('get', 'write an object to a file, or to stdout with -')
    .argument('<key>', 'object key')
    .argument('[destination]', 'file to write, or - for standard output (default: the key\'s file name here)')
    .action((key: string, destination: string | undefined, options: OutputOptions) =>
      withStorage(ctx, (engine) =>
        withCliProgress(ctx.io, async (work) => {
          if (destination === '-') {
            await engine.retrieve(key, process.stdout, work);
            return;
          }
          const target = destination ?? basename(key);
          // Written beside the target and renamed once complete and checked: never a half file under its name.
          const partial = `${target}.neurolake-part`;
          try {
            const info = await engine.retrieve(key, createWriteStream(partial), work);
            await rename(partial, target);
            print(ctx.io, options, { ...info, file: target }, () => `wrote ${target} (${info.size} bytes from ${info.tier})`);
          } catch (error) {
            await rm(partial, { force: true });
            throw error;
          }
        }),
      ),
    );

  leaf('ls', 'list objects and folders under a prefix, a page at a time')
    .argument('[prefix]', 'key prefix, e.g. datasets/', '')
    .option('--limit <n>', 'objects per page (default 1000)', positiveNumber)
    .option('--cursor <cursor>', 'continue after this key (the previous page\'s nextCursor)')
    .option('-r, --recursive', 'list every key under the prefix instead of folding folders')
    .action((prefix: string, options: ListCommandOptions) =>
      withStorage(ctx, async (engine) => {
        const page = engine.list({ prefix, ...(options.recursive ? {} : { delimiter: '/' }), ...(options.cursor ? { cursor: options.cursor } : {}), ...(options.limit ? { limit: options.limit } : {}) });
        print(ctx.io, options, page, () => formatListing(page));
      }),
    );

  leaf('stat', 'show an object: size, checksum, tiers, access history')
    .argument('<key>', 'object key')
    .action((key: string, options: OutputOptions) =>
      withStorage(ctx, async (engine) => {
        const info = engine.stat(key);
        print(ctx.io, options, info, () => formatObject(info));
      }),
    );

  leaf('rm', 'delete objects and every copy of them')
    .argument('<keys...>', 'object keys')
    .action((keys: string[], options: OutputOptions) =>
      withStorage(ctx, async (engine) => {
        const deleted: { key: string; copies: string[] }[] = [];
        for (const key of keys) deleted.push(await engine.delete(key));
        print(ctx.io, options, deleted.length === 1 ? deleted[0] : deleted, () => deleted.map((item) => `deleted ${item.key} (${item.copies.join(', ')})`).join('\n'));
      }),
    );

  const moveCommand = (move: MoveKind, description: string): void => {
    leaf(move, description)
      .argument('[keys...]', 'object keys')
      .option('--prefix <prefix>', 'every object under this prefix')
      .action((keys: string[], options: OutputOptions & { prefix?: string }) =>
        withStorage(ctx, async (engine) => {
          const targets = [...keys, ...(options.prefix !== undefined ? allKeys(engine, options.prefix) : [])];
          if (targets.length === 0) {
            if (options.prefix === undefined) throw new CliError(`${move}: give keys or --prefix`, EXIT.usage);
            ctx.io.err(`neurolake: no objects under ${options.prefix}; nothing to ${move}`);
            return;
          }
          await withCliProgress(ctx.io, async (work) => {
            for (const key of targets) {
              const result = await engine.move(key, move, work);
              const line = move === 'restore' ? result : engine.stat(key);
              ctx.io.out(options.json === true ? JSON.stringify(line) : describeMove(move, key, line));
            }
          });
        }),
      );
  };
  moveCommand('promote', 'keep a local copy (the cloud copy stays as the backup)');
  moveCommand('demote', 'move to the cloud tier: upload if needed, then drop the local copy');
  moveCommand('archive', `move to the archive storage class (${ARCHIVE_CLASSES.join(', ')})`);
  moveCommand('restore', 'bring archived objects back to the cloud tier (starts a restore when the archive needs one)');

  leaf('optimize', 'show the placement plan (moves, bytes, monthly cost before and after); --apply carries it out')
    .option('--apply', 'carry out the plan')
    .action((options: OutputOptions & { apply?: boolean }) =>
      withStorage(ctx, async (engine) => {
        const plan = await engine.plan();
        if (options.apply !== true) {
          print(ctx.io, options, plan, () => `${formatPlan(plan)}\nRun with --apply to carry it out.`);
          return;
        }
        await withCliProgress(ctx.io, async (work) => {
          await engine.flushUploads(work);
          const results = await engine.apply(plan, work);
          const failed = results.filter((result) => !result.ok);
          print(ctx.io, options, { plan, results }, () => [formatPlan(plan), ...failed.map((result) => `failed ${result.move} ${result.key}: ${result.error}`), `applied ${results.length - failed.length} of ${results.length}`].join('\n'));
          if (failed.length > 0) throw new CliError(`${failed.length} of ${results.length} moves failed; the objects stayed where they were`, EXIT.general);
        });
      }),
    );

  leaf('stats', 'objects, bytes and monthly cost per tier, cache hit rate, estimated saving')
    .action((options: OutputOptions) =>
      withStorage(ctx, async (engine) => {
        await engine.checkCloud();
        const stats = await engine.stats();
        print(ctx.io, options, { ...stats, status: engine.status() }, () => `${formatStats(stats)}\n${engine.status().detail ?? ''}`);
      }),
    );

  leaf('verify', 'recompute checksums, check every copy, list orphans (never deletes); exits 9 on a problem')
    .option('--prefix <prefix>', 'only objects under this prefix (orphans are listed only for a full verify)')
    .option('--deep', 'also download and hash cloud copies')
    .action((options: OutputOptions & { prefix?: string; deep?: boolean }) =>
      withStorage(ctx, async (engine) => {
        const report = await withCliProgress(ctx.io, (work) => engine.verify({ ...work, ...(options.prefix ? { prefix: options.prefix } : {}), ...(options.deep ? { deep: true } : {}) }));
        print(ctx.io, options, report, () => formatVerify(report));
        if (report.problems.length > 0) throw new CliError(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found`, 9);
      }),
    );

  leaf('sync', 'upload every object still waiting in the write-back queue')
    .action((options: OutputOptions) =>
      withStorage(ctx, async (engine) => {
        const result = await withCliProgress(ctx.io, (work) => engine.flushUploads(work));
        print(ctx.io, options, result, () => `uploaded ${result.uploaded}${result.failed ? `, ${result.failed} failed` : ''}`);
        if (result.failed > 0) {
          const reasons = result.failures.slice(0, 3).map((failure) => `${failure.key}: ${failure.reason}`);
          const more = result.failures.length > reasons.length ? `; and ${result.failures.length - reasons.length} more` : '';
          throw new CliError(`${result.failed} ${result.failed === 1 ? 'upload' : 'uploads'} failed and stay queued (${reasons.join('; ')}${more})`, EXIT.general);
        }
      }),
    );

  leaf('configure', 'set the tiers (stored in <data folder>/storage/config.json, never a secret); no options prints it')
    .option('--bucket <name>', 'cloud tier bucket')
    .option('--endpoint <url>', 'S3 endpoint for MinIO, Ceph or s3rver (empty for AWS)')
    .option('--region <region>', 'S3 region (default us-east-1)')
    .option('--prefix <prefix>', 'prefix of NeuroLake\'s objects in the bucket (default neurolake/)')
    .option('--path-style', 'bucket in the path (most S3-compatible servers)')
    .option('--no-path-style', 'bucket in the host name (AWS)')
    .option('--checksums <when>', 'SDK request checksums: WHEN_SUPPORTED or WHEN_REQUIRED (custom endpoints)')
    .option('--checks-signed-payload', 'the server refuses a body that does not match its signed SHA-256 (AWS, Ceph RGW, MinIO): uploads are proven by it, with no MD5')
    .option('--no-checks-signed-payload', 'the server does not check signed payloads (s3rver): uploads are proven by their MD5 ETag')
    .option('--no-cloud', 'remove the cloud tier (objects only in it stay in the bucket)')
    .option('--capacity-gb <gb>', 'local tier capacity in GB', nonNegativeNumber)
    .option('--watermark <fraction>', 'fraction of the capacity filled before evicting (0.05-1)', nonNegativeNumber)
    .option('--local-path <folder>', 'folder of the local tier (default <data folder>/storage/local)')
    .option('--archive-class <class>', `archive storage class: ${ARCHIVE_CLASSES.join(', ')}`)
    .option('--archive-bucket <name>', 'bucket for archived objects (default: the cloud bucket)')
    .option('--archive-after-days <days>', 'plan archiving objects unread this long', nonNegativeNumber)
    .option('--write-through', 'upload before a store returns')
    .option('--no-write-through', 'upload from the durable queue afterwards (write-back, the default)')
    .option('--prices <preset>', 'price preset: aws or seed')
    .option('--local-price <usd>', 'local disk cost in USD per GB-month', nonNegativeNumber)
    .option('--no-check', 'save without testing the connection to the bucket')
    .option('--create-bucket', 'create the bucket when it does not exist')
    .action((options: ConfigureOptions, command: Command) =>
      asCliError(async () => {
        const dataFolder = ctx.dataFolder();
        const current = await readStorageConfig(dataFolder);
        const given = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
        const changed = ['bucket', 'endpoint', 'region', 'prefix', 'pathStyle', 'checksums', 'checksSignedPayload', 'cloud', 'capacityGb', 'watermark', 'localPath', 'archiveClass', 'archiveBucket', 'archiveAfterDays', 'writeThrough', 'prices', 'localPrice'].some(given);
        const next = changed ? buildConfig(current, options, given) : current;
        if (next.cloud && options.check !== false && (changed || options.createBucket === true)) {
          const cloud = new CloudTier(next.cloud, next.archive);
          try {
            if (options.createBucket === true) await cloud.createBucketIfMissing();
            await cloud.check();
          } catch (error) {
            if (error instanceof StorageError) throw new StorageError(error.code, `${error.message} The configuration was not saved (use --no-check to save it anyway).`);
            throw error;
          } finally {
            cloud.destroy();
          }
        }
        // Refused before anything is saved when it would move the cloud or archive tier away from objects only there.
        if (changed && JSON.stringify([next.cloud, next.archive]) !== JSON.stringify([current.cloud, current.archive])) {
          await withStorage(ctx, (engine) => engine.checkConfigChange(next));
        }
        if (changed) await writeStorageConfig(dataFolder, next);
        print(ctx.io, options, next, () => `${changed ? 'saved ' : ''}${formatConfig(next, configFile(dataFolder))}`);
      }),
    );

  return storage;
}

function buildConfig(current: StorageConfig, options: ConfigureOptions, given: (name: string) => boolean): StorageConfig {
  if (options.archiveClass !== undefined && !ARCHIVE_CLASSES.includes(options.archiveClass as ArchiveClass)) {
    throw new CliError(`--archive-class must be one of ${ARCHIVE_CLASSES.join(', ')}`, EXIT.invalidInput);
  }
  if (options.prices !== undefined && !isStoragePreset(options.prices)) throw new CliError('--prices must be aws or seed', EXIT.invalidInput);
  let cloud = current.cloud;
  if (given('cloud') && options.cloud === false) cloud = undefined;
  else if (given('bucket') || given('endpoint') || given('region') || given('prefix') || given('pathStyle') || given('checksums') || given('checksSignedPayload')) {
    if (options.bucket === undefined && cloud === undefined) throw new CliError('configure: give --bucket to set up the cloud tier', EXIT.usage);
    // Only a different endpoint resets what was said of the server (cloudAfterChange).
    cloud = cloudAfterChange(cloud, {
      ...(options.bucket !== undefined ? { bucket: options.bucket } : {}),
      ...(given('endpoint') ? { endpoint: options.endpoint ?? '' } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      ...(given('pathStyle') ? { forcePathStyle: options.pathStyle === true } : {}),
      ...(options.checksums !== undefined ? { requestChecksumCalculation: options.checksums as CloudConfig['requestChecksumCalculation'] } : {}),
      ...(given('checksSignedPayload') ? { checksSignedPayload: options.checksSignedPayload === true } : {}),
    });
  }
  const raw = {
    local: {
      ...current.local,
      ...(options.capacityGb !== undefined ? { capacityGb: options.capacityGb } : {}),
      ...(options.watermark !== undefined ? { watermark: options.watermark } : {}),
      ...(options.localPath !== undefined ? { path: resolve(options.localPath) } : {}),
    },
    ...(cloud ? { cloud } : {}),
    archive: {
      ...current.archive,
      ...(options.archiveClass !== undefined ? { storageClass: options.archiveClass } : {}),
      ...(options.archiveBucket !== undefined ? { bucket: options.archiveBucket } : {}),
      ...(options.archiveAfterDays !== undefined ? { afterDays: options.archiveAfterDays } : {}),
    },
    writeThrough: given('writeThrough') ? options.writeThrough === true : current.writeThrough,
    prices: {
      ...current.prices,
      ...(options.prices !== undefined ? { preset: options.prices } : {}),
      ...(options.localPrice !== undefined ? { localGbMonth: options.localPrice } : {}),
    },
  };
  return normaliseConfig(raw, 'the options given');
}

function describeMove(move: MoveKind, key: string, result: unknown): string {
  if (move === 'restore') {
    const outcome = result as { state: string; expectedAt?: string };
    return outcome.state === 'restored' ? `restored ${key} to the cloud tier` : `restoring ${key}: expected readable around ${outcome.expectedAt}; run restore again then`;
  }
  const info = result as { tier: string; tiers: string[] };
  return `${move}d ${key}: now on ${info.tiers.join(' + ')}`;
}

function allKeys(engine: StorageEngine, prefix: string): string[] {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = engine.list({ prefix, limit: 10_000, ...(cursor !== undefined ? { cursor } : {}) });
    keys.push(...page.objects.map((object) => object.key));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return keys;
}

async function sourceKind(source: string): Promise<'file' | 'folder'> {
  try {
    const info = await stat(source);
    if (info.isDirectory()) return 'folder';
    if (info.isFile()) return 'file';
    throw new CliError(`put: ${source} is neither a file nor a folder`, EXIT.invalidInput);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`put: no such file or folder ${source}`, EXIT.notFound);
    throw new CliError(`put: cannot read ${source}: ${(error as Error).message}`, EXIT.general);
  }
}

/** Every file under `folder`, relative to it, in a stable order. */
async function listFolder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1.');
  return number;
}

function nonNegativeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('must be a number of at least 0.');
  return number;
}
