// LSP glue for the storage tiers: each request asks the session's runtime for the storage engine,
// passes the request's token and progress as WorkOptions, and turns engine failures into response
// errors carrying the engine's code.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { ErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { StorageError, type StorageEngine } from '../engines/storage';
import {
  DidChangeStorageNotification,
  StorageApplyRequest,
  StorageDeleteRequest,
  StorageListRequest,
  StorageMoveRequest,
  StoragePlanRequest,
  StoragePresignRequest,
  StorageRetrieveRequest,
  StorageS3UriRequest,
  StorageStatRequest,
  StorageStatsRequest,
  StorageStoreRequest,
  StorageTiersRequest,
  StorageVerifyRequest,
  type StorageErrorData,
} from '../protocol';
import { type Session } from '../session';
import { genericResponseError } from './errors';
import { onRequest, sendNotification } from './connection';
import { cancelledResponse, withWorkDone } from './progress';

export function registerStorageHandlers(connection: Connection, session: () => Session): void {
  const withStorage =
    <P, R>(work: (storage: StorageEngine, params: P, token: CancellationToken) => R | Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R | ResponseError<StorageErrorData>> => {
      try {
        const runtime = await session().runtime();
        return await work(runtime.engine('storage'), params, token);
      } catch (error) {
        return toResponseError(error);
      }
    };

  onRequest(connection, StorageListRequest, withStorage((storage, params) => storage.list(params)));
  onRequest(connection, StorageStatRequest, withStorage((storage, { key }) => storage.lookup(key)));
  onRequest(
    connection,
    StorageStoreRequest,
    withStorage((storage, { key, path, workDoneToken }, token) => withWorkDone(connection, { workDoneToken }, token, `Storing ${key}`, (work) => storage.store(key, { path }, work))),
  );
  onRequest(
    connection,
    StorageRetrieveRequest,
    withStorage((storage, { key, path, workDoneToken }, token) =>
      withWorkDone(connection, { workDoneToken }, token, `Downloading ${key}`, async (work) => {
        // Complete and checked, or not there at all: never a half file under the name asked for.
        const partial = `${path}.neurolake-part`;
        try {
          const info = await storage.retrieve(key, createWriteStream(partial), work);
          await rename(partial, path);
          return info;
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        }
      }),
    ),
  );
  onRequest(connection, StorageDeleteRequest, withStorage((storage, { key }) => storage.delete(key)));
  onRequest(
    connection,
    StorageMoveRequest,
    withStorage((storage, { key, move, workDoneToken }, token) =>
      withWorkDone(connection, { workDoneToken }, token, `${move[0]!.toUpperCase()}${move.slice(1)} ${key}`, async (work) => {
        await storage.move(key, move, work);
        return storage.stat(key);
      }),
    ),
  );
  onRequest(connection, StoragePlanRequest, withStorage((storage) => storage.plan()));
  onRequest(
    connection,
    StorageApplyRequest,
    withStorage((storage, { plan, workDoneToken }, token) => withWorkDone(connection, { workDoneToken }, token, 'Optimizing placement', (work) => storage.apply(plan, work))),
  );
  onRequest(connection, StorageStatsRequest, withStorage((storage) => storage.stats()));
  onRequest(
    connection,
    StorageVerifyRequest,
    withStorage((storage, { prefix, deep, workDoneToken }, token) =>
      withWorkDone(connection, { workDoneToken }, token, 'Verifying storage', (work) => storage.verify({ ...work, ...(prefix === undefined ? {} : { prefix }), ...(deep === undefined ? {} : { deep }) })),
    ),
  );
  onRequest(connection, StorageS3UriRequest, withStorage((storage, { key }) => ({ uri: storage.s3Uri(key) })));
  onRequest(
    connection,
    StorageTiersRequest,
    withStorage(async (storage, { check }, token) => {
      if (check === true) {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          await storage.checkCloud({ signal: controller.signal });
        } finally {
          subscription.dispose();
        }
      } else if (storage.tiers().cloud.state === 'not-contacted') {
        // Answered now; the change notification that follows the check repaints the view.
        void storage.checkCloud().catch(() => undefined);
      }
      return storage.tiers();
    }),
  );
  onRequest(connection, StoragePresignRequest, withStorage((storage, { key, expiresInSeconds }) => storage.presign(key, expiresInSeconds)));
}

export function publishStorageChange(connection: Connection, keys: readonly string[]): void {
  void sendNotification(connection, DidChangeStorageNotification, { keys });
}

export function toResponseError(error: unknown): ResponseError<StorageErrorData> {
  const cancelled = cancelledResponse<StorageErrorData>(error);
  if (cancelled !== undefined) return cancelled;
  if (error instanceof StorageError) return new ResponseError(ErrorCodes.InvalidParams, error.message, { code: error.code });
  return genericResponseError<StorageErrorData>(error);
}
