// The clients the cloud tier reads with (GetObject, HeadObject): one per bucket, each resolving
// its middleware stack once instead of on every request (the SDK's `cacheMiddleware`). Resolving
// it costs a 1 MB GET on loopback about an eighth of its time, most of it garbage the GET itself
// then has to collect, and reads are what the engine does most.
//
// Why a client of their own, and one per bucket: a cached stack is shared by every call of that
// command class, and so is the context its middleware write to (the resolved endpoint among them),
// so calls that run at once must agree on all of it. Here every call of a client names the same
// bucket with the same configuration and no command-specific middleware; the general client,
// which also sends other buckets' requests (compute staging) and commands with middleware of their
// own (the connection test), stays uncached.
//
// The SDK caches only calls made without per-call options, so a read's abort signal cannot travel
// as one. It travels on the async path instead (AsyncLocalStorage), and the request handler hands
// it to the socket as the SDK would have. The one thing it does not reach is the back-off between
// two attempts (at most a few hundred ms): the next attempt is refused at once.
import { AsyncLocalStorage } from 'node:async_hooks';
import { GetObjectCommand, HeadObjectCommand, S3Client, type GetObjectCommandOutput, type HeadObjectCommandOutput, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';

const requestSignal = new AsyncLocalStorage<AbortSignal>();

/** The SDK's Node handler, with the abort signal of the call it serves added to each request. */
class SignalledHttpHandler extends NodeHttpHandler {
  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const abortSignal = requestSignal.getStore();
    return super.handle(request, abortSignal === undefined ? options : { ...options, abortSignal });
  }
}

export class ReaderClients {
  private readonly clients = new Map<string, S3Client>();

  /** `config`: the general client's, less its middleware; `handler`: its request handler's options. */
  constructor(
    private readonly config: Omit<S3ClientConfig, 'requestHandler'>,
    private readonly handler: NodeHttpHandlerOptions,
  ) {}

  getObject(bucket: string, key: string, signal?: AbortSignal): Promise<GetObjectCommandOutput> {
    const client = this.client(bucket);
    return this.withSignal(signal, () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  }

  headObject(bucket: string, key: string, signal?: AbortSignal): Promise<HeadObjectCommandOutput> {
    const client = this.client(bucket);
    return this.withSignal(signal, () => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private client(bucket: string): S3Client {
    let client = this.clients.get(bucket);
    if (client === undefined) {
      client = new S3Client({ ...this.config, cacheMiddleware: true, requestHandler: new SignalledHttpHandler(this.handler) });
      this.clients.set(bucket, client);
    }
    return client;
  }

  private withSignal<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    return signal === undefined ? call() : requestSignal.run(signal, call);
  }
}
