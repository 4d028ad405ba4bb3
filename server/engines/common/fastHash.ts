// xxHash64 of a content: the check a read makes of bytes that come back from somewhere else (a
// cloud or archive copy). SHA-256 stays every record's checksum (what `verify` recomputes, and what
// a server checks on upload), but at about 1 GB/s on the thread that also parses the response it
// cost a cloud read of 64 MB a third more than the raw GET on a two-core machine. xxHash64 runs at
// about 5 GB/s here (WebAssembly, no native build) and catches any accidental difference, a bit
// flipped on a disk or the wire, a truncated, mixed-up or stale object, with all but a 2^-64
// chance. It does not stop someone who sets out to forge a content that hashes the same: that is
// what SHA-256 and `verify` are for.
import xxhash, { type XXHashAPI } from 'xxhash-wasm';

let api: XXHashAPI | undefined;
let loading: Promise<void> | undefined;

/** Compiles the WebAssembly once per process; `fastHash` may be called once this resolves. */
export function loadFastHash(): Promise<void> {
  loading ??= xxhash().then((loaded) => void (api = loaded));
  return loading;
}

export interface FastHash {
  update(bytes: Uint8Array): void;
  /** 16 lowercase hex digits. */
  digest(): string;
}

/** A streaming xxHash64 (seed 0). Each keeps its own state, so several may be fed in turns. */
export function fastHash(): FastHash {
  if (api === undefined) throw new Error('fastHash() before loadFastHash() resolved');
  const state = api.create64();
  return {
    update: (bytes) => void state.update(bytes),
    digest: () => hex(state.digest()),
  };
}

/** The xxHash64 of bytes in memory. */
export function fastHashOf(bytes: Uint8Array): string {
  if (api === undefined) throw new Error('fastHashOf() before loadFastHash() resolved');
  return hex(api.h64Raw(bytes));
}

/** Whether a value read from a record is a well-formed xxHash64. */
export function isFastHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{16}$/.test(value);
}

const hex = (value: bigint): string => value.toString(16).padStart(16, '0');
