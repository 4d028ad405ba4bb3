// "Does this cloud tier work?", asked before a configuration is saved: the bucket is checked with
// the proposed settings and credentials (HeadBucket), then a small probe object is written under
// the prefix, read back, compared and deleted, which is what the engine will do to every object.
// Before the probe is written, it is sent once signed with a wrong SHA-256: a server that checks
// signed payloads refuses that, one that does not stores it (and the probe then written over it
// is deleted as usual), which tells whether checksSignedPayload is true of this server.
// The answer names the first step that failed and why, in words a user can act on; it never
// throws for a failure of the bucket, only for cancellation.
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import { CancelledError, type WorkOptions } from '../common';
import { CloudTier, type CloudTierOptions } from './cloudTier';
import { DEFAULT_CONFIG, checksSignedPayload, type ArchiveConfig, type CloudConfig } from './config';
import { describeError } from './errors';

export type CloudTestStep = 'reach bucket' | 'write probe' | 'read probe' | 'delete probe';

export type CloudTestFailure =
  /** Nothing answered at the endpoint: refused, no route, DNS, TLS or a timeout. */
  | 'unreachable'
  | 'no-such-bucket'
  /** The server refused the credentials or their permissions (403, unknown key, bad signature). */
  | 'access-denied'
  /** No credentials were given and the AWS default chain found none. */
  | 'no-credentials'
  /** The bucket lives in another region than the one configured. */
  | 'wrong-region'
  /** The probe read back differs from what was written. */
  | 'probe-mismatch'
  /** The configuration says the server checks signed payloads, and it stored a body that did not match. */
  | 'unchecked-payload'
  | 'error';

interface CloudTestSeen {
  /**
   * What the server did with a probe signed with a wrong SHA-256: true when it refused it (it
   * checks signed payloads), false when it stored it; unset when the test did not get that far or
   * the refusal was for another reason.
   */
  readonly checksSignedPayload?: boolean;
}

export type CloudTestResult = CloudTestSeen &
  (
    | { readonly ok: true; readonly message: string; readonly steps: readonly CloudTestStep[] }
    | { readonly ok: false; readonly failure: CloudTestFailure; readonly step: CloudTestStep; readonly message: string; readonly steps: readonly CloudTestStep[] }
  );

export interface CloudTestOptions extends WorkOptions {
  readonly credentials?: CloudTierOptions['credentials'];
  readonly archive?: ArchiveConfig;
  /** Per request: a test should answer within seconds, not after the engine's patient retries. */
  readonly requestTimeoutMs?: number;
}

/** The name of the probe object: beside the tier's objects/ and archive/ folders, so never taken for one of them. */
export function probeName(config: CloudConfig): string {
  return `${config.prefix}.neurolake-connection-test-${randomUUID()}`;
}

/** Tests `config` with `options.credentials` (else the AWS default chain); resolves with what happened. */
export async function testCloudConnection(config: CloudConfig, options: CloudTestOptions = {}): Promise<CloudTestResult> {
  const tier = new CloudTier(config, options.archive ?? DEFAULT_CONFIG.archive, {
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    maxAttempts: 2,
  });
  const where = `s3://${config.bucket}/${config.prefix}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
  const done: CloudTestStep[] = [];
  const call = { ...(options.signal ? { abortSignal: options.signal } : {}) };
  const name = probeName(config);
  let step: CloudTestStep = 'reach bucket';
  let written = false;
  let checks: boolean | undefined;
  const seen = (): CloudTestSeen => (checks === undefined ? {} : { checksSignedPayload: checks });
  const begin = (next: CloudTestStep): void => {
    step = next;
    options.progress?.report({ message: `${next[0]!.toUpperCase()}${next.slice(1)}: ${where}`, done: done.length, total: 4, unit: 'items' });
  };
  try {
    begin('reach bucket');
    await headBucket(tier.client, config, call);
    done.push(step);
    begin('write probe');
    const probe = `NeuroLake connection test ${new Date().toISOString()}\n`;
    checks = await refusesWrongPayloadHash(tier.client, { Bucket: config.bucket, Key: name, Body: probe, ContentType: 'text/plain' }, call);
    // Stored although wrongly signed: the probe written next replaces it, and is deleted below.
    if (checks === false) written = true;
    if (checks === false && checksSignedPayload(config)) {
      return {
        ok: false,
        failure: 'unchecked-payload',
        step,
        steps: done,
        checksSignedPayload: false,
        message: `${where} stored a probe whose body did not match the SHA-256 signed with it, so it does not check signed payloads: taken as checking them, no upload there would be verified. Say it may not check, and NeuroLake compares MD5s and ETags itself.`,
      };
    }
    await tier.client.send(new PutObjectCommand({ Bucket: config.bucket, Key: name, Body: probe, ContentType: 'text/plain' }), call);
    written = true;
    done.push(step);
    begin('read probe');
    const read = await tier.client.send(new GetObjectCommand({ Bucket: config.bucket, Key: name }), call);
    const back = (await read.Body?.transformToString('utf8')) ?? '';
    if (back !== probe) {
      return { ok: false, failure: 'probe-mismatch', step, steps: done, ...seen(), message: `${where} answered, but the probe object read back differs from what was written (${back.length} of ${probe.length} characters); the server changes objects, so NeuroLake cannot verify copies there.` };
    }
    done.push(step);
    begin('delete probe');
    await tier.client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: name }), call);
    written = false;
    done.push(step);
    const checking = checks === undefined ? '' : checks ? '; it refused a copy signed with a wrong SHA-256, so it checks signed payloads' : '; it stored a copy signed with a wrong SHA-256, so it does not check signed payloads';
    return { ok: true, steps: done, ...seen(), message: `${where} works: the bucket answered and a probe object was written, read back and deleted${checking}.` };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError('The connection test');
    const { failure, reason } = classify(error, config);
    return { ok: false, failure, step, steps: done, ...seen(), message: `${where}: ${step} failed: ${reason}` };
  } finally {
    // A probe left behind by a failed read is removed when the server still lets us; never a worry if not.
    if (written) await tier.client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: name })).catch(() => undefined);
    tier.destroy();
  }
}

/** The SHA-256 of nothing the probe could be: a body signed with it never matches. */
const WRONG_PAYLOAD_HASH = createHash('sha256').update('not the body of a NeuroLake probe').digest('hex');

/**
 * PutObject of `input` signed with a wrong SHA-256 (x-amz-content-sha256, which the SDK signs as
 * given): true when the server refuses it as not matching, false when it stores it. Any other
 * refusal from the server says nothing either way (undefined): the probe written next meets the
 * same problem and is the one that names it. No answer at all (unreachable, cancelled) is thrown.
 */
async function refusesWrongPayloadHash(client: S3Client, input: PutObjectCommandInput, call: { abortSignal?: AbortSignal }): Promise<boolean | undefined> {
  const command = new PutObjectCommand(input);
  command.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = WRONG_PAYLOAD_HASH;
      return next(args);
    },
    { step: 'build', name: 'neurolakeWrongPayloadHash' },
  );
  try {
    await client.send(command, call);
    return false;
  } catch (error) {
    if ((error as { name?: string }).name === 'XAmzContentSHA256Mismatch') return true;
    if (statusOf(error) !== undefined && error instanceof S3ServiceException) return undefined;
    throw error;
  }
}

/**
 * HeadBucket, whose refusals carry no body (HEAD): a 403 is asked again as a one-key listing,
 * whose error names the cause (unknown key, wrong secret, no permission).
 */
async function headBucket(client: S3Client, config: CloudConfig, call: { abortSignal?: AbortSignal }): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket }), call);
  } catch (error) {
    if (statusOf(error) !== 403) throw error;
    await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix, MaxKeys: 1 }), call);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO']);

/** The SDK's error as one of the failures above and a reason in plain words. */
export function classify(error: unknown, config: CloudConfig): { failure: CloudTestFailure; reason: string } {
  const name = (error as { name?: string }).name ?? '';
  const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const status = statusOf(error);
  const endpoint = config.endpoint ?? `AWS S3 (${config.region})`;
  if (name === 'CredentialsProviderError') {
    return { failure: 'no-credentials', reason: 'no credentials: give an access key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE where VS Code runs.' };
  }
  if ((code !== undefined && UNREACHABLE_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout' || (status === undefined && !(error instanceof S3ServiceException))) {
    return { failure: 'unreachable', reason: `the endpoint ${endpoint} is unreachable (${code || name || 'no answer'}: ${describeError(error)}).` };
  }
  if (name === 'NoSuchBucket' || (status === 404 && (name === 'NotFound' || name === '404' || name === 'UnknownError' || name === ''))) {
    return { failure: 'no-such-bucket', reason: `there is no bucket ${config.bucket} at ${endpoint}; create it first, or check the name.` };
  }
  if (status === 301 || name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || name === 'IllegalLocationConstraintException') {
    const region = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
    return { failure: 'wrong-region', reason: `the bucket ${config.bucket} is not in region ${config.region}${region ? `; it is in ${region}` : ''}.` };
  }
  if (name === 'InvalidAccessKeyId') return { failure: 'access-denied', reason: 'access denied: the server does not know that access key id (InvalidAccessKeyId).' };
  if (name === 'SignatureDoesNotMatch') return { failure: 'access-denied', reason: 'access denied: the secret access key does not match the access key id (SignatureDoesNotMatch).' };
  if (status === 403 || name === 'AccessDenied' || name === 'Forbidden') {
    return { failure: 'access-denied', reason: `access denied (${name && name !== 'Unknown' && name !== '403' ? name : 'HTTP 403'}): the credentials are wrong, or lack permission for s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on ${config.bucket}/${config.prefix}*.` };
  }
  return { failure: 'error', reason: `the server answered ${status !== undefined ? `HTTP ${status}` : ''}${name ? ` ${name}` : ''}: ${describeError(error)}` };
}
