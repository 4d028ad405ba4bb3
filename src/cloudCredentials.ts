// The cloud tier's access key, kept in VS Code's SecretStorage (the OS keychain on a desktop),
// never in settings.json, storage/config.json or a log line. It reaches the language server only
// in the environment the server is spawned with (never a message, which a trace would print);
// the server takes it out of its environment at once and gives it to the storage engine, so its
// workloads do not inherit it. Without a stored key the AWS default chain (the user's shell
// variables and profile) applies.
import type * as vscode from 'vscode';
import { CLOUD_ACCESS_KEY_ID_VARIABLE, CLOUD_SECRET_ACCESS_KEY_VARIABLE, SESSION_KEY_VARIABLE, type CloudCredentials } from '../server/protocol/secrets';

const ACCESS_KEY_ID = 'neurolake.storage.cloud.accessKeyId';
const SECRET_ACCESS_KEY = 'neurolake.storage.cloud.secretAccessKey';

export async function readCloudCredentials(secrets: vscode.SecretStorage): Promise<CloudCredentials | undefined> {
  const [accessKeyId, secretAccessKey] = await Promise.all([secrets.get(ACCESS_KEY_ID), secrets.get(SECRET_ACCESS_KEY)]);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

export async function storeCloudCredentials(secrets: vscode.SecretStorage, credentials: CloudCredentials): Promise<void> {
  await secrets.store(ACCESS_KEY_ID, credentials.accessKeyId);
  await secrets.store(SECRET_ACCESS_KEY, credentials.secretAccessKey);
}

/** True when a key was stored (and is now gone). */
export async function forgetCloudCredentials(secrets: vscode.SecretStorage): Promise<boolean> {
  const had = (await readCloudCredentials(secrets)) !== undefined;
  await secrets.delete(ACCESS_KEY_ID);
  await secrets.delete(SECRET_ACCESS_KEY);
  return had;
}

/**
 * What the server process gets on top of the extension host's environment: the session key it
 * opens sealed secrets with, and the stored access key when there is one. Empty values when there
 * is none, so a variable of the same name in the editor's own environment never stands in for it.
 */
export function serverEnvironment(sessionKey: string, credentials: CloudCredentials | undefined): Record<string, string> {
  return {
    [SESSION_KEY_VARIABLE]: sessionKey,
    [CLOUD_ACCESS_KEY_ID_VARIABLE]: credentials?.accessKeyId ?? '',
    [CLOUD_SECRET_ACCESS_KEY_VARIABLE]: credentials?.secretAccessKey ?? '',
  };
}

/** Tells whether two keys differ, without ever showing either. */
export function sameCredentials(a: CloudCredentials | undefined, b: CloudCredentials | undefined): boolean {
  return a?.accessKeyId === b?.accessKeyId && a?.secretAccessKey === b?.secretAccessKey;
}
