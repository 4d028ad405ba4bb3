// The Configure Cloud Tier step that says whether the server checks signed payloads, apart from
// the quick pick that asks it: its two answers, which one is preselected, and what is saved when a
// caller gave the answers without it, so these rules are tested without VS Code.
import type { StorageCloudTarget } from '../../server/protocol';

export type SignedPayloadAnswer = 'checks' | 'compares';

export interface SignedPayloadItem {
  readonly value: SignedPayloadAnswer;
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

export const SIGNED_PAYLOAD_ITEMS: readonly SignedPayloadItem[] = [
  {
    value: 'checks',
    label: 'The server checks signed payloads',
    description: 'faster uploads: no MD5 computed here',
    detail: "The server checks each request's signed SHA-256 (AWS S3, Ceph RGW, MinIO).",
  },
  {
    value: 'compares',
    label: 'The server may not check',
    description: 'the safe choice for an unknown server',
    detail: 'The server may not check (s3rver, others): NeuroLake compares MD5s and ETags itself.',
  },
];

export function answerOf(checks: boolean): SignedPayloadAnswer {
  return checks ? 'checks' : 'compares';
}

/** What is known of one server: answered for its endpoint, or seen there by a connection test. */
export interface SignedPayloadKnown {
  readonly endpoint: string;
  readonly checks: boolean;
}

/** The default for an endpoint: AWS itself (no endpoint) checks; a custom endpoint is not assumed to. */
export function defaultChecksSignedPayload(endpoint: string): boolean {
  return endpoint.trim() === '';
}

function isFor(known: SignedPayloadKnown | undefined, endpoint: string): known is SignedPayloadKnown {
  return known !== undefined && known.endpoint.trim() === endpoint.trim();
}

/** The value in force for `endpoint` when it is the configured one (`current`, from the cloudConfig request). */
function currentFor(current: StorageCloudTarget | undefined, endpoint: string): boolean | undefined {
  return current !== undefined && (current.endpoint ?? '').trim() === endpoint.trim() ? current.checksSignedPayload : undefined;
}

/**
 * The answer preselected for `endpoint`: what a connection test saw there, else the user's last
 * answer for it, else the value in force when the endpoint is the configured one, else the
 * endpoint's default. An answer or a test of another endpoint says nothing of this one.
 */
export function preselectedChecksSignedPayload(endpoint: string, current: StorageCloudTarget | undefined, seen?: SignedPayloadKnown, answered?: SignedPayloadKnown): boolean {
  if (isFor(seen, endpoint)) return seen.checks;
  if (isFor(answered, endpoint)) return answered.checks;
  return currentFor(current, endpoint) ?? defaultChecksSignedPayload(endpoint);
}

/**
 * What to save when the answers were given without the question (a test, another extension): the
 * given value, else for a custom endpoint what the connection test saw, else the value in force
 * when the endpoint is the configured one; undefined otherwise (for AWS the server then keeps the
 * saved value when AWS is the configured endpoint, else takes the default).
 */
export function givenChecksSignedPayload(endpoint: string, given: boolean | undefined, current: StorageCloudTarget | undefined, seen: boolean | undefined): boolean | undefined {
  if (given !== undefined) return given;
  if (endpoint.trim() === '') return undefined;
  return seen ?? currentFor(current, endpoint);
}
