// Configure Cloud Tier and Forget Cloud Credentials. Configure asks for the bucket step by step
// (endpoint, whether a custom endpoint's server checks signed payloads, bucket, region, prefix,
// archive class, access key), tests the connection with exactly those answers before anything is
// saved, and only when the test passes writes the data folder's storage/config.json (through the
// server, never a secret in it) and the key to SecretStorage.
import * as vscode from 'vscode';
import {
  StorageCloudConfigRequest,
  StorageConfigureRequest,
  StorageTestCloudRequest,
  type StorageCloudTarget,
  type StorageCloudTestFailure,
  type StorageCloudTestResult,
} from '../../server/protocol';
import type { CloudCredentials } from '../../server/protocol/secrets';
import { forgetCloudCredentials, readCloudCredentials, sameCredentials, storeCloudCredentials } from '../cloudCredentials';
import { type Ctx } from '../ctx';
import { requestWithProgress } from '../progress';
import { askPick, askText, runSteps } from './multiStepInput';
import { type CommandFactories } from './registry';
import { SIGNED_PAYLOAD_ITEMS, answerOf, givenChecksSignedPayload, preselectedChecksSignedPayload, type SignedPayloadKnown } from './signedPayloadChoice';
import { assertTrusted } from '../trust';

type ArchiveClass = StorageCloudTarget['archiveClass'];

/** The answers to the steps; a caller (a test, another extension) may give them all and skip the questions. */
export interface CloudTierAnswers {
  readonly endpoint?: string;
  readonly bucket?: string;
  readonly region?: string;
  readonly prefix?: string;
  readonly archiveClass?: ArchiveClass;
  /**
   * Whether the server checks signed payloads. Unset: for a custom endpoint what the connection
   * test sees, else the value in force for the same endpoint; for AWS the saved value, else its
   * default (it checks).
   */
  readonly checksSignedPayload?: boolean;
  /** Both empty or unset: the AWS default chain (environment variables, profile). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

export interface ConfigureCloudOutcome {
  readonly saved: boolean;
  /** The last connection test; undefined when the user stopped before one. */
  readonly test?: StorageCloudTestResult;
  readonly file?: string;
  readonly status?: string;
}

const ARCHIVE_CLASSES: readonly (vscode.QuickPickItem & { value: ArchiveClass })[] = [
  { value: 'GLACIER', label: 'GLACIER', description: 'Glacier Flexible Retrieval', detail: 'About $0.0036 per GB-month; readable 3–5 hours after a restore is asked; 90-day minimum.' },
  { value: 'DEEP_ARCHIVE', label: 'DEEP_ARCHIVE', description: 'Glacier Deep Archive', detail: 'About $0.00099 per GB-month; readable within 12 hours of a restore; 180-day minimum.' },
  { value: 'GLACIER_IR', label: 'GLACIER_IR', description: 'Glacier Instant Retrieval', detail: 'About $0.004 per GB-month, readable at once at $0.03 per GB; 90-day minimum.' },
];

const TITLE = 'Configure Cloud Tier';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]+$/;


export function validateEndpoint(value: string): string | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL; give one such as http://127.0.0.1:9000, or leave it empty for AWS.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The endpoint must start with http:// or https://.';
  if (url.username !== '' || url.password !== '') return 'No credentials in the endpoint: the access key is asked for in a later step and kept in the secret storage.';
  return undefined;
}

export function validateBucket(value: string): string | undefined {
  return BUCKET_NAME.test(value.trim()) ? undefined : 'A bucket name is 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.';
}

/** The step a failure sends "Edit…" back to: the answer most likely to be wrong. */
function stepToEdit(failure: StorageCloudTestFailure | undefined): number {
  switch (failure) {
    case 'unreachable':
    case 'invalid-config':
      return 0;
    case 'unchecked-payload':
      return 1;
    case 'no-such-bucket':
      return 2;
    case 'wrong-region':
      return 3;
    case 'access-denied':
    case 'no-credentials':
      return 6;
    default:
      return 0;
  }
}

interface State {
  endpoint: string;
  /** The answer to the signed-payload question, for the endpoint it was given for. */
  signedPayload?: SignedPayloadKnown;
  /** What the last connection test saw the server do with a wrongly signed probe. */
  seenSignedPayload?: SignedPayloadKnown;
  bucket: string;
  region: string;
  prefix: string;
  archiveClass: ArchiveClass;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Asks every question from `first` on; false when the user pressed Escape. */
function ask(state: State, current: StorageCloudTarget | undefined, stored: CloudCredentials | undefined, first: number): Promise<boolean> {
  const keepsStoredKey = (): boolean => stored !== undefined && state.accessKeyId.trim() === stored.accessKeyId;
  return runSteps(
    [
      {
        ask: async (position) => {
          const answer = await askText({
            title: TITLE,
            ...position,
            value: state.endpoint,
            prompt: 'S3 endpoint: empty for AWS itself; the address of MinIO, Ceph or s3rver otherwise.',
            placeholder: 'empty for AWS, or e.g. http://127.0.0.1:9000',
            validate: validateEndpoint,
          });
          if (typeof answer === 'string') state.endpoint = answer.trim();
          return answer;
        },
      },
      {
        // AWS itself checks every signed payload: nothing to ask.
        applies: () => state.endpoint !== '',
        ask: async (position) => {
          const preselected = preselectedChecksSignedPayload(state.endpoint, current, state.seenSignedPayload, state.signedPayload);
          const answer = await askPick({
            title: TITLE,
            ...position,
            items: SIGNED_PAYLOAD_ITEMS,
            active: answerOf(preselected),
            placeholder: `Does the server at ${state.endpoint} refuse a body that does not match the SHA-256 signed with it?`,
          });
          if (answer === 'checks' || answer === 'compares') state.signedPayload = { endpoint: state.endpoint, checks: answer === 'checks' };
          return answer;
        },
      },
      {
        ask: async (position) => {
          const answer = await askText({ title: TITLE, ...position, value: state.bucket, prompt: 'Bucket of the cloud tier (it must exist).', placeholder: 'e.g. my-team-lake', validate: validateBucket });
          if (typeof answer === 'string') state.bucket = answer.trim();
          return answer;
        },
      },
      {
        ask: async (position) => {
          const answer = await askText({
            title: TITLE,
            ...position,
            value: state.region,
            prompt: 'Region of the bucket.',
            placeholder: 'us-east-1',
            validate: (value) => (value.trim() === '' || REGION.test(value.trim()) ? undefined : 'A region such as us-east-1 or eu-central-1.'),
          });
          if (typeof answer === 'string') state.region = answer.trim() || 'us-east-1';
          return answer;
        },
      },
      {
        ask: async (position) => {
          const answer = await askText({
            title: TITLE,
            ...position,
            value: state.prefix,
            prompt: "Prefix of NeuroLake's objects in the bucket (empty: the bucket's top level).",
            placeholder: 'neurolake/',
            validate: (value) => (value.trim().startsWith('/') ? 'The prefix must not start with /.' : undefined),
          });
          if (typeof answer === 'string') state.prefix = answer.trim();
          return answer;
        },
      },
      {
        ask: async (position) => {
          const answer = await askPick({ title: TITLE, ...position, items: ARCHIVE_CLASSES, active: state.archiveClass, placeholder: 'Storage class of the archive tier' });
          if (typeof answer === 'string') state.archiveClass = answer;
          return answer;
        },
      },
      {
        ask: async (position) => {
          const answer = await askText({
            title: TITLE,
            ...position,
            value: state.accessKeyId,
            prompt: 'Access key id, kept in VS Code\'s secret storage. Empty: the AWS default chain (AWS_ACCESS_KEY_ID / AWS_PROFILE where VS Code runs).',
            placeholder: 'empty for the AWS default chain',
          });
          if (typeof answer === 'string') state.accessKeyId = answer.trim();
          // No key id: no secret to ask for.
          if (state.accessKeyId === '') state.secretAccessKey = '';
          return answer;
        },
      },
      {
        applies: () => state.accessKeyId !== '',
        ask: async (position) => {
          const answer = await askText({
            title: TITLE,
            ...position,
            value: '',
            password: true,
            prompt: `Secret access key of ${state.accessKeyId}.`,
            placeholder: keepsStoredKey() ? 'empty keeps the stored secret' : 'the secret access key',
            validate: (value) => (value === '' && !keepsStoredKey() ? 'Give the secret access key of this access key id.' : undefined),
          });
          if (typeof answer === 'string') state.secretAccessKey = answer === '' && keepsStoredKey() ? stored!.secretAccessKey : answer;
          return answer;
        },
      },
    ],
    first,
  );
}

function targetOf(state: State): StorageCloudTarget {
  return {
    ...(state.endpoint ? { endpoint: state.endpoint } : {}),
    region: state.region || 'us-east-1',
    bucket: state.bucket,
    prefix: state.prefix,
    archiveClass: state.archiveClass,
    // Unset for AWS (not asked): the server keeps the saved value, or the default for a new endpoint.
    ...(state.signedPayload?.endpoint === state.endpoint ? { checksSignedPayload: state.signedPayload.checks } : {}),
  };
}

function credentialsOf(state: State): CloudCredentials | undefined {
  return state.accessKeyId === '' ? undefined : { accessKeyId: state.accessKeyId, secretAccessKey: state.secretAccessKey };
}

async function configureCloudTier(ctx: Ctx, given: CloudTierAnswers | undefined): Promise<ConfigureCloudOutcome> {
  assertTrusted('does not change the storage configuration from it');
  const secrets = ctx.extensionContext.secrets;
  const stored = await readCloudCredentials(secrets);
  const { target: current } = await ctx.request(StorageCloudConfigRequest, {});
  const state: State = {
    endpoint: given?.endpoint ?? current?.endpoint ?? '',
    bucket: given?.bucket ?? current?.bucket ?? '',
    region: given?.region ?? current?.region ?? 'us-east-1',
    prefix: given?.prefix ?? current?.prefix ?? 'neurolake/',
    archiveClass: given?.archiveClass ?? current?.archiveClass ?? 'GLACIER',
    accessKeyId: given?.accessKeyId ?? stored?.accessKeyId ?? '',
    // Answers naming the stored key id without its secret keep the stored secret.
    secretAccessKey: given?.secretAccessKey ?? (given !== undefined && (given.accessKeyId ?? stored?.accessKeyId) === stored?.accessKeyId ? (stored?.secretAccessKey ?? '') : ''),
  };
  if (given?.checksSignedPayload !== undefined) state.signedPayload = { endpoint: state.endpoint, checks: given.checksSignedPayload };
  let first = 0;
  for (;;) {
    if (given === undefined && !(await ask(state, current, stored, first))) return { saved: false };
    const credentials = credentialsOf(state);
    const test = await requestWithProgress(ctx, `Testing ${state.bucket}${state.endpoint ? ` at ${state.endpoint}` : ' on AWS'}…`, StorageTestCloudRequest, {
      target: targetOf(state),
      ...(credentials ? { credentials: ctx.seal(JSON.stringify(credentials)) } : {}),
    });
    if (test === undefined) return { saved: false };
    if (test.checksSignedPayload !== undefined) state.seenSignedPayload = { endpoint: state.endpoint, checks: test.checksSignedPayload };
    if (!test.ok) {
      ctx.log.warn(`Cloud tier not saved: ${test.message}`);
      if (given !== undefined) {
        void vscode.window.showErrorMessage(`Cloud tier not saved: ${test.message}`);
        return { saved: false, test };
      }
      const choice = await vscode.window.showErrorMessage(`Cloud tier not saved: ${test.message}`, 'Edit…', 'Cancel');
      if (choice !== 'Edit…') return { saved: false, test };
      first = stepToEdit(test.failure);
      continue;
    }
    if (given !== undefined) {
      const checks = givenChecksSignedPayload(state.endpoint, given.checksSignedPayload, current, test.checksSignedPayload);
      if (checks !== undefined) state.signedPayload = { endpoint: state.endpoint, checks };
    } else if (!(await offerServerCheck(state, test))) {
      return { saved: false, test };
    }
    return save(ctx, state, stored, test);
  }
}

/**
 * When the user said the server may not check signed payloads and the test saw it refuse a wrongly
 * signed probe, offers the faster path (no MD5 of NeuroLake's own); both answers save, Cancel saves
 * nothing. True unless cancelled.
 */
async function offerServerCheck(state: State, test: StorageCloudTestResult): Promise<boolean> {
  if (test.checksSignedPayload !== true || state.signedPayload?.endpoint !== state.endpoint || state.signedPayload.checks) return true;
  const rely = "Rely on the Server's Check";
  const choice = await vscode.window.showInformationMessage(
    `${state.endpoint} checks signed payloads: it refused a probe whose body did not match the SHA-256 signed with it.`,
    { modal: true, detail: 'NeuroLake can rely on that check and compute no MD5s of its own, which makes uploads faster. Comparing MD5s and ETags as well is safe, only slower.' },
    rely,
    'Keep Comparing MD5s',
  );
  if (choice === undefined) return false;
  if (choice === rely) state.signedPayload = { endpoint: state.endpoint, checks: true };
  return true;
}

async function save(ctx: Ctx, state: State, stored: CloudCredentials | undefined, test: StorageCloudTestResult): Promise<ConfigureCloudOutcome> {
  const secrets = ctx.extensionContext.secrets;
  const credentials = credentialsOf(state);
  // The key first: a configuration whose key was not kept would fail on the next start. When the
  // configuration then cannot be written, the key it was meant for goes too.
  const keep = (key: CloudCredentials | undefined): Promise<unknown> => (key === undefined ? forgetCloudCredentials(secrets) : storeCloudCredentials(secrets, key));
  await keep(credentials);
  let saved;
  try {
    saved = await ctx.request(StorageConfigureRequest, { target: targetOf(state) });
  } catch (error) {
    await keep(stored);
    throw error;
  }
  if (!sameCredentials(credentials, stored)) {
    // The server reads its key only when it starts (see cloudCredentials.ts).
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Restarting the NeuroLake server with the new access key…' }, () => ctx.cloudCredentialsChanged());
  }
  const where = `s3://${state.bucket}/${state.prefix}${state.endpoint ? ` at ${state.endpoint}` : ''}`;
  const proof = state.signedPayload?.endpoint === state.endpoint ? (state.signedPayload.checks ? '; uploads proven by the server\'s check of their signed SHA-256' : '; uploads proven by their MD5s and ETags') : '';
  ctx.log.info(`Cloud tier saved to ${saved.file}: ${where}; ${credentials ? 'access key in the secret storage' : 'AWS default chain'}${proof}.`);
  void vscode.window.showInformationMessage(`Cloud tier saved: ${where} (${credentials ? 'access key in the secret storage' : 'AWS default chain'}). ${saved.status}`);
  return { saved: true, test, file: saved.file, status: saved.status };
}

export const storageCloudCommands: CommandFactories = {
  'neurolake.storage.configureCloud':
    ({ ctx }) =>
    (answers?: CloudTierAnswers) =>
      configureCloudTier(ctx, isAnswers(answers) ? answers : undefined),

  /** Resolves to whether a key was stored. */
  'neurolake.storage.forgetCloudCredentials':
    ({ ctx }) =>
    async (): Promise<boolean> => {
      const had = await forgetCloudCredentials(ctx.extensionContext.secrets);
      if (had) await ctx.cloudCredentialsChanged();
      void vscode.window.showInformationMessage(
        had ? 'NeuroLake forgot the stored cloud access key; the cloud tier now uses the AWS default chain (environment variables, profile).' : 'No cloud access key was stored; the cloud tier uses the AWS default chain.',
      );
      return had;
    },
};

/** Menus pass a tree node or nothing; only a plain object of answers skips the questions. */
function isAnswers(value: unknown): value is CloudTierAnswers {
  return typeof value === 'object' && value !== null && ('bucket' in value || 'endpoint' in value) && !('type' in value);
}
