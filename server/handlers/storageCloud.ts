// LSP glue of Configure Cloud Tier: the connection test of a proposed cloud tier (with sealed
// credentials, opened here with this server's session key) and saving it to the data folder's
// storage/config.json, which the storage engine then applies without a restart.
import type { CancellationToken, Connection, ResponseError } from 'vscode-languageserver/node';
import { StorageError, checksSignedPayload, cloudAfterChange, defaultCloud, normaliseConfig, readStorageConfig, testCloudConnection, writeStorageConfig, configFile, type StorageConfig } from '../engines/storage';
import { StorageCloudConfigRequest, StorageConfigureRequest, StorageTestCloudRequest, type StorageCloudTarget, type StorageCloudTestResult, type StorageErrorData } from '../protocol';
import { CLOUD_ACCESS_KEY_ID_VARIABLE, CLOUD_SECRET_ACCESS_KEY_VARIABLE, SESSION_KEY_VARIABLE, openSecret, type CloudCredentials, type SealedSecret } from '../protocol/secrets';
import { type Session } from '../session';
import { onRequest } from './connection';
import { withWorkDone } from './progress';
import { toResponseError } from './storage';

export interface LaunchSecrets {
  /** Opens secrets sealed by the extension; undefined when started without one (the CLI, tests). */
  readonly sessionKey?: string;
  /** The access key stored in the extension's SecretStorage; undefined: the AWS default chain. */
  readonly cloudCredentials?: CloudCredentials;
}

/**
 * Takes the secrets the extension put in this process's environment, and removes them there so
 * no process the server starts (a workload) inherits them.
 */
export function takeLaunchSecrets(env: NodeJS.ProcessEnv = process.env): LaunchSecrets {
  const take = (name: string): string | undefined => {
    const value = env[name];
    delete env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const sessionKey = take(SESSION_KEY_VARIABLE);
  const accessKeyId = take(CLOUD_ACCESS_KEY_ID_VARIABLE);
  const secretAccessKey = take(CLOUD_SECRET_ACCESS_KEY_VARIABLE);
  return {
    ...(sessionKey ? { sessionKey } : {}),
    ...(accessKeyId && secretAccessKey ? { cloudCredentials: { accessKeyId, secretAccessKey } } : {}),
  };
}

export function registerStorageCloudHandlers(connection: Connection, session: () => Session, sessionKey: string | undefined): void {
  onRequest(connection, StorageTestCloudRequest, async (params, token: CancellationToken): Promise<StorageCloudTestResult | ResponseError<StorageErrorData>> => {
    try {
      const current = await readStorageConfig((await session().runtime()).dataFolder);
      let proposed: StorageConfig;
      try {
        proposed = proposedConfig(current, params.target);
      } catch (error) {
        if (error instanceof StorageError) return { ok: false, failure: 'invalid-config', message: error.message, steps: [] };
        throw error;
      }
      const credentials = params.credentials === undefined ? undefined : openCredentials(params.credentials, sessionKey);
      return await withWorkDone(connection, params, token, 'Testing the cloud tier', (work) =>
        testCloudConnection(proposed.cloud!, { ...work, archive: proposed.archive, ...(credentials ? { credentials } : {}) }),
      );
    } catch (error) {
      return toResponseError(error);
    }
  });

  onRequest(connection, StorageCloudConfigRequest, async () => {
    try {
      const dataFolder = (await session().runtime()).dataFolder;
      const { cloud, archive } = await readStorageConfig(dataFolder);
      const target: StorageCloudTarget | undefined = cloud && {
        ...(cloud.endpoint ? { endpoint: cloud.endpoint } : {}),
        region: cloud.region,
        bucket: cloud.bucket,
        prefix: cloud.prefix,
        archiveClass: archive.storageClass,
        checksSignedPayload: checksSignedPayload(cloud),
      };
      return { ...(target ? { target } : {}), file: configFile(dataFolder) };
    } catch (error) {
      return toResponseError(error);
    }
  });

  onRequest(connection, StorageConfigureRequest, async ({ target }) => {
    try {
      const runtime = await session().runtime();
      const next = proposedConfig(await readStorageConfig(runtime.dataFolder), target);
      let storage: ReturnType<typeof runtime.engine<'storage'>> | undefined;
      try {
        storage = runtime.engine('storage');
      } catch {
        // Not running here: an engine opening later refuses a place that strands objects (location.ts).
      }
      await storage?.checkConfigChange(next);
      await writeStorageConfig(runtime.dataFolder, next);
      let status: string;
      try {
        if (storage === undefined) storage = runtime.engine('storage');
        await storage.reloadConfig();
        status = storage.status().detail ?? storage.status().state;
      } catch (error) {
        // Saved all the same: the configuration is the data folder's, and applies when storage opens.
        status = `saved; storage is not running here: ${error instanceof Error ? error.message : String(error)}`;
      }
      return { file: configFile(runtime.dataFolder), status };
    } catch (error) {
      return toResponseError(error);
    }
  });
}

/**
 * The data folder's configuration with the proposed cloud tier and archive class, checked field by
 * field. The dialog asks neither path style nor SDK checksums, nor for AWS whether the server checks
 * signed payloads: those keep their saved values when the endpoint is the saved one, and are the
 * endpoint's defaults for another (cloudAfterChange).
 */
export function proposedConfig(current: StorageConfig, target: StorageCloudTarget): StorageConfig {
  const bucket = target.bucket.trim();
  const endpoint = target.endpoint?.trim() ?? '';
  const cloud = cloudAfterChange(current.cloud, {
    endpoint,
    bucket,
    region: target.region.trim() || defaultCloud(bucket, endpoint).region,
    prefix: target.prefix.trim(),
    ...(target.checksSignedPayload !== undefined ? { checksSignedPayload: target.checksSignedPayload } : {}),
  });
  return normaliseConfig({ ...current, cloud, archive: { ...current.archive, storageClass: target.archiveClass } }, 'the proposed cloud tier');
}

function openCredentials(sealed: SealedSecret, sessionKey: string | undefined): CloudCredentials {
  if (sessionKey === undefined) throw new StorageError('invalid-config', 'This server was started without a session key, so it cannot open credentials sent to it; restart it from VS Code.');
  let parsed: Partial<CloudCredentials>;
  try {
    parsed = JSON.parse(openSecret(sealed, sessionKey)) as Partial<CloudCredentials>;
  } catch {
    throw new StorageError('invalid-config', 'The credentials could not be opened with this server\'s session key (sealed for another server?); try again.');
  }
  if (typeof parsed.accessKeyId !== 'string' || typeof parsed.secretAccessKey !== 'string' || parsed.accessKeyId === '' || parsed.secretAccessKey === '') {
    throw new StorageError('invalid-config', 'Give both an access key id and a secret access key, or neither (the AWS default chain).');
  }
  return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
}
