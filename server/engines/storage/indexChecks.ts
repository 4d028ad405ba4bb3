// What the index accepts from its own files. The snapshot and the journal are written by the
// engine, but a hand edit, a bad copy or another tool can put anything there: a change that is not
// one, a record without copies, a key with `..`, a staged file outside the incoming folder. Each
// is refused here with the reason, so one bad line costs that line, not the whole index, and no
// key read from disk can make the engine rename or delete a file outside the local tier.
import type { CloudLease } from './cloudLeases';
import type { Intent } from './indexStore';
import { INCOMING_FOLDER, validateKey } from './keys';
import type { ObjectRecord } from './types';

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `key` cannot be a key, or undefined when it can. */
function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'it has no key';
  try {
    validateKey(key);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Why `value` is not an object record, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'a record must be an object';
  const key = keyProblem(value['key']);
  if (key !== undefined) return key;
  const shown = JSON.stringify(value['key']);
  for (const field of ['version', 'sha256', 'created', 'lastAccess'] as const) if (typeof value[field] !== 'string') return `the record of ${shown} has no ${field}`;
  for (const field of ['size', 'accessCount', 'hits'] as const) {
    const number = value[field];
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) return `the record of ${shown} has a ${field} that is not a whole number of 0 or more`;
  }
  if (!Array.isArray(value['history'])) return `the record of ${shown} has no history`;
  const copies = value['copies'];
  if (!isObject(copies)) return `the record of ${shown} has no copies`;
  const held = (['local', 'cloud', 'archive'] as const).filter((tier) => copies[tier] !== undefined);
  if (held.length === 0) return `the record of ${shown} has no copy in any tier`;
  if (held.some((tier) => !isObject(copies[tier]))) return `the record of ${shown} has a copy that is not an object`;
  for (const tier of ['cloud', 'archive'] as const) if (copies[tier] !== undefined && typeof (copies[tier] as Loose)['etag'] !== 'string') return `the ${tier} copy of ${shown} has no ETag`;
  const staged = copies['local'] === undefined ? undefined : (copies['local'] as Loose)['staged'];
  if (staged !== undefined && (typeof staged !== 'string' || !isStagedName(staged))) return `the record of ${shown} names a staged file ${JSON.stringify(staged)} outside ${INCOMING_FOLDER}`;
  return undefined;
}

/** A staged file is one name directly in the incoming folder, in either separator. */
function isStagedName(staged: string): boolean {
  const [folder, name, ...rest] = staged.split(/[\\/]/);
  return folder === INCOMING_FOLDER && rest.length === 0 && name !== undefined && /^[\w.-]+$/.test(name) && name !== '.' && name !== '..';
}

export function intentProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'an intent must be an object';
  if (typeof value['id'] !== 'string' || value['id'] === '') return 'an intent has no id';
  return keyProblem(value['key']);
}

/** Why `value` is not a lease on a cloud or archive name (cloudLeases.ts), or undefined when it is one. */
export function leaseProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'a lease must be an object';
  if (typeof value['id'] !== 'string' || value['id'] === '') return 'a lease has no id';
  const key = keyProblem(value['key']);
  if (key !== undefined) return key;
  if (value['place'] !== 'cloud' && value['place'] !== 'archive') return `the lease of ${JSON.stringify(value['key'])} is on ${JSON.stringify(value['place'])}, not the cloud or archive tier`;
  const pid = value['pid'];
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return `the lease of ${JSON.stringify(value['key'])} has no process id`;
  if (typeof value['host'] !== 'string') return `the lease of ${JSON.stringify(value['key'])} has no host`;
  if (value['start'] !== undefined && typeof value['start'] !== 'string') return `the lease of ${JSON.stringify(value['key'])} has a start time that is not text`;
  if (typeof value['at'] !== 'string' || Number.isNaN(Date.parse(value['at']))) return `the lease of ${JSON.stringify(value['key'])} has no time`;
  return undefined;
}

/** Why `value` is not a change the journal can hold, or undefined when it is one. */
export function opProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a change';
  switch (value['t']) {
    case 'put':
      return recordProblem(value['r']);
    case 'del':
      return keyProblem(value['key']);
    case 'touch':
      return keyProblem(value['key']) ?? (typeof value['at'] !== 'string' || typeof value['hit'] !== 'boolean' ? 'a read has no time or hit' : undefined);
    case 'intent':
      return intentProblem(value['intent']);
    case 'done':
      return typeof value['id'] === 'string' ? undefined : 'a finished intent has no id';
    case 'lease':
      return leaseProblem(value['lease']);
    case 'release':
      return typeof value['id'] === 'string' ? undefined : 'a released lease has no id';
    case 'batch': {
      if (!Array.isArray(value['ops'])) return 'a batch has no changes';
      // A batch is one commit: all of it or none.
      for (const op of value['ops']) {
        const problem = opProblem(op);
        if (problem !== undefined) return `in a batch, ${problem}`;
      }
      return undefined;
    }
    default:
      return `${JSON.stringify(value['t'])} is not a kind of change`;
  }
}

/** The snapshot's records, intents and leases that pass the checks; each one left out is told to `warn`. */
export function checkedSnapshot(objects: unknown, intents: unknown, leases: unknown, warn: (problem: string) => void): { objects: ObjectRecord[]; intents: Intent[]; leases: CloudLease[] } {
  const keep = <T>(list: unknown, problem: (value: unknown) => string | undefined): T[] => {
    if (!Array.isArray(list)) return [];
    return list.filter((value) => {
      const why = problem(value);
      if (why !== undefined) warn(why);
      return why === undefined;
    }) as T[];
  };
  return { objects: keep<ObjectRecord>(objects, recordProblem), intents: keep<Intent>(intents, intentProblem), leases: keep<CloudLease>(leases, leaseProblem) };
}
