// Secrets that must cross the LSP connection (the keys a connection test tries before they are
// saved) travel sealed: `neurolake.trace.server: verbose` prints every message's parameters to the
// log, so a secret in plain text there would end up on disk. The extension makes a random key for
// each server it spawns and hands it over in that process's environment, which no trace shows;
// both sides seal and open with AES-256-GCM under it. The stored access key travels the same way
// as the session key: in the environment of the spawned server, never in a message. Imported by path, not through the protocol
// index, so bundles without Node (webviews) never pull in node:crypto.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The environment variable carrying the session key from the extension to the server it spawns. */
export const SESSION_KEY_VARIABLE = 'NEUROLAKE_SESSION_KEY';
/**
 * The stored cloud access key, from the extension to the server it spawns. Not AWS_ACCESS_KEY_ID:
 * the server takes these out of its environment at start and hands them to the storage engine, so
 * no process it starts inherits them and the AWS default chain stays the user's own.
 */
export const CLOUD_ACCESS_KEY_ID_VARIABLE = 'NEUROLAKE_CLOUD_ACCESS_KEY_ID';
export const CLOUD_SECRET_ACCESS_KEY_VARIABLE = 'NEUROLAKE_CLOUD_SECRET_ACCESS_KEY';

export interface CloudCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A sealed value on the wire: base64 of IV, authentication tag and ciphertext. */
export interface SealedSecret {
  readonly sealed: string;
}

export function newSessionKey(): string {
  return randomBytes(32).toString('base64');
}

export function sealSecret(value: string, sessionKey: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(sessionKey), iv);
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { sealed: Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64') };
}

/** Throws when the value was not sealed with this key (another server's, or tampered with). */
export function openSecret(secret: SealedSecret, sessionKey: string): string {
  const bytes = Buffer.from(secret.sealed, 'base64');
  if (bytes.length < 28) throw new Error('The sealed secret is too short to be one.');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(sessionKey), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}

function keyBytes(sessionKey: string): Buffer {
  const key = Buffer.from(sessionKey, 'base64');
  if (key.length !== 32) throw new Error(`The session key must be 32 bytes of base64 (${SESSION_KEY_VARIABLE}).`);
  return key;
}
