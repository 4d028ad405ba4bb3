// A loopback HTTP proxy in front of a real S3 server that can misbehave on cue: be down, answer
// 500s, answer slowly, cut a connection after some bytes of an upload, and play an archive that
// must be restored (InvalidObjectState on reads until RestoreObject, then x-amz-restore on HEAD).
// Requests are forwarded byte for byte with their Host header, so SigV4 signatures still verify.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen, in order: `METHOD path?query`. */
  readonly requests: string[];
  /** Refuse connections (the endpoint is down) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Answer the next `count` requests (all, when Infinity) with HTTP 500. */
  fail500(count: number): void;
  /** Delay every answer by `ms` (0 ends it). */
  slow(ms: number): void;
  /** Cut the connection of every upload (PUT with a body) after `bytes` of it were forwarded; undefined ends it. */
  cutUploadsAfter(bytes: number | undefined): void;
  /** Objects whose path ends in one of these are archived: reads fail until restored. */
  archive(pathSuffix: string): void;
  /** Finish the restore of an archived object: HEAD says ongoing-request="false" and reads pass. */
  completeRestore(pathSuffix: string): void;
  /** Flip one bit in the middle of every upload body (PUT with a body) on its way to the server, or stop (false). */
  corruptUploads(on: boolean): void;
  /** Flip one bit in the middle of every object read (GET of an object) on its way back, or stop (false). */
  corruptReads(on: boolean): void;
  /** Holds back the next upload (PUT with a body) whose path ends in `pathSuffix` (or matches it) until released: a request that lands late. */
  holdNextUpload(pathSuffix: string | RegExp): HeldUpload;
  /** The same for the next server-side copy (PUT with x-amz-copy-source) to a path ending in `pathSuffix` (or matching it). */
  holdNextCopy(pathSuffix: string | RegExp): HeldUpload;
  /** The same for the next object read (GET of an object) of a path ending in `pathSuffix` (or matching it): an answer that is slow to come. */
  holdNextRead(pathSuffix: string | RegExp): HeldUpload;
  close(): Promise<void>;
}

export interface HeldUpload {
  /** Resolves once the upload has reached the proxy (and is being held). */
  readonly arrived: Promise<void>;
  /** Forwards it to the server. */
  release(): void;
  /** Resolves once the server's answer to it has been passed back. */
  readonly answered: Promise<void>;
}

type ArchiveState = 'frozen' | 'restoring' | 'restored';
type HeldKind = 'upload' | 'copy' | 'read';

/** A GET of an object, not of a bucket listing or an upload's parts. */
function isObjectRead(method: string | undefined, path: string, query: string): boolean {
  return method === 'GET' && path.split('/').length > 2 && !/(^|&)(uploads|uploadId|list-type|tagging|acl)(=|&|$)/.test(query);
}

/** Which kind of request a hold may catch: an upload (PUT with a body), a server-side copy, or an object read. */
function heldKind(req: IncomingMessage): HeldKind | undefined {
  if (req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined) return 'copy';
  if (req.method === 'PUT' && Number(req.headers['content-length'] ?? 0) > 0) return 'upload';
  const [path = '', query = ''] = (req.url ?? '').split('?');
  return isObjectRead(req.method, path, query) ? 'read' : undefined;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const archived = new Map<string, ArchiveState>();
  let failures = 0;
  let delayMs = 0;
  let cutAfter: number | undefined;
  let corruptingUploads = false;
  let corruptingReads = false;
  /** Passes bytes on with the bit flipped at `at` bytes in (the middle of the body). */
  const flipAt = (at: number, write: (chunk: Buffer) => void): ((chunk: Buffer) => void) => {
    let seen = 0;
    return (chunk) => {
      if (seen <= at && at < seen + chunk.length) {
        chunk = Buffer.from(chunk);
        chunk[at - seen] = chunk[at - seen]! ^ 0x01;
      }
      seen += chunk.length;
      write(chunk);
    };
  };
  const holds: { suffix: string | RegExp; kind: HeldKind; arrive: () => void; released: Promise<void>; answer: () => void }[] = [];

  const findArchived = (path: string): [string, ArchiveState] | undefined => {
    for (const [suffix, state] of archived) if (path.endsWith(suffix)) return [suffix, state];
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const kind = heldKind(req);
    const held = kind === undefined ? -1 : holds.findIndex((hold) => hold.kind === kind && matches(decodeURIComponent(url.split('?')[0] ?? ''), hold.suffix));
    if (held >= 0) {
      const [hold] = holds.splice(held, 1);
      hold!.arrive();
      // The body waits in the socket's buffers; nothing reaches the server before the release.
      req.pause();
      await hold!.released;
      res.on('finish', hold!.answer);
      res.on('close', hold!.answer);
    }
    if (failures > 0) {
      failures -= 1;
      req.resume();
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the fault proxy</Message></Error>');
      return;
    }
    const [path, query = ''] = url.split('?');
    const copySource = req.headers['x-amz-copy-source'];
    const archivedHit = findArchived(decodeURIComponent(path ?? '')) ?? (typeof copySource === 'string' ? findArchived(decodeURIComponent(copySource.split('?')[0]!)) : undefined);
    if (archivedHit !== undefined) {
      const [suffix, state] = archivedHit;
      if (req.method === 'POST' && /(^|&)restore(=|&|$)/.test(query)) {
        req.resume();
        if (state === 'frozen') archived.set(suffix, 'restoring');
        res.writeHead(state === 'frozen' ? 202 : 200);
        res.end();
        return;
      }
      const reading = (req.method === 'GET' && !/(^|&)(uploads|uploadId|tagging|acl)(=|&|$)/.test(query)) || (req.method === 'PUT' && typeof copySource === 'string');
      if (reading && state !== 'restored') {
        req.resume();
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidObjectState</Code><Message>The operation is not valid for the object\'s storage class</Message><StorageClass>GLACIER</StorageClass></Error>');
        return;
      }
      if (req.method === 'HEAD' && state !== 'frozen') {
        return forward(req, res, { 'x-amz-restore': state === 'restoring' ? 'ongoing-request="true"' : `ongoing-request="false", expiry-date="${new Date(Date.now() + 7 * 86_400_000).toUTCString()}"` });
      }
    }
    return forward(req, res);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, extraHeaders: Record<string, string> = {}): void => {
    const upstreamRequest = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (upstreamResponse) => {
      res.writeHead(upstreamResponse.statusCode ?? 502, { ...upstreamResponse.headers, ...extraHeaders });
      const length = Number(upstreamResponse.headers['content-length'] ?? 0);
      const [objectPath = '', query = ''] = (req.url ?? '').split('?');
      const objectRead = isObjectRead(req.method, objectPath, query);
      if (corruptingReads && objectRead && upstreamResponse.statusCode === 200 && length > 0) {
        upstreamResponse.on('data', flipAt(Math.floor(length / 2), (chunk) => res.write(chunk)));
        upstreamResponse.on('end', () => res.end());
        return;
      }
      upstreamResponse.pipe(res);
    });
    upstreamRequest.on('error', () => res.destroy());
    const uploading = req.method === 'PUT' && Number(req.headers['content-length'] ?? 0) > 0 && req.headers['x-amz-copy-source'] === undefined;
    if (uploading && cutAfter !== undefined) {
      const limit = cutAfter;
      let forwarded = 0;
      req.on('data', (chunk: Buffer) => {
        forwarded += chunk.length;
        if (forwarded >= limit) {
          // Both sides see the connection die mid-body, as when a network drops.
          upstreamRequest.destroy();
          req.socket.destroy();
        } else {
          upstreamRequest.write(chunk);
        }
      });
      req.on('end', () => upstreamRequest.end());
      return;
    }
    if (uploading && corruptingUploads) {
      req.on('data', flipAt(Math.floor(Number(req.headers['content-length']) / 2), (chunk) => upstreamRequest.write(chunk)));
      req.on('end', () => upstreamRequest.end());
      return;
    }
    req.pipe(upstreamRequest);
  };

  const hold = (suffix: string | RegExp, kind: HeldKind): HeldUpload => {
    let arrive = (): void => undefined;
    let release = (): void => undefined;
    let answer = (): void => undefined;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const answered = new Promise<void>((resolve) => (answer = resolve));
    holds.push({ suffix, kind, arrive, released, answer });
    return { arrived, release, answered };
  };

  let server: Server = createServer((req, res) => void handle(req, res));
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const track = (s: Server): void => {
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  };
  track(server);
  const port = await listen(0);
  let isDown = false;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    async down() {
      if (isDown) return;
      isDown = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    async up() {
      if (!isDown) return;
      isDown = false;
      server = createServer((req, res) => void handle(req, res));
      track(server);
      await listen(port);
    },
    fail500: (count) => {
      failures = count;
    },
    slow: (ms) => {
      delayMs = ms;
    },
    cutUploadsAfter: (bytes) => {
      cutAfter = bytes;
    },
    archive: (suffix) => {
      archived.set(suffix, 'frozen');
    },
    completeRestore: (suffix) => {
      archived.set(suffix, 'restored');
    },
    corruptUploads: (on) => {
      corruptingUploads = on;
    },
    corruptReads: (on) => {
      corruptingReads = on;
    },
    holdNextUpload: (suffix) => hold(suffix, 'upload'),
    holdNextCopy: (suffix) => hold(suffix, 'copy'),
    holdNextRead: (suffix) => hold(suffix, 'read'),
    async close() {
      if (isDown) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** A path ending with `suffix`, or one `suffix` (a RegExp) matches: `/^\/bucket\//` holds the next write to a bucket, whatever its name. */
function matches(path: string, suffix: string | RegExp): boolean {
  return typeof suffix === 'string' ? path.endsWith(suffix) : suffix.test(path);
}
