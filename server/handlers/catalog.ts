// LSP glue for the catalog: each request asks the session's runtime for the catalog engine and
// turns engine failures into response errors whose message the extension shows as it is.
import { ErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { type Catalog } from '../engines/catalog/catalog';
import { CatalogError } from '../engines/catalog/errors';
import { declaredVariableNames, render, TemplateError } from '../engines/templates';
import {
  CatalogCopyRequest,
  CatalogDetectVariablesRequest,
  CatalogExportRequest,
  CatalogGetRequest,
  CatalogGroupsRequest,
  CatalogImportRequest,
  CatalogListRequest,
  CatalogRecordUsageRequest,
  CatalogRegisterRequest,
  CatalogRenderRequest,
  CatalogSearchRequest,
  CatalogSetFlagRequest,
  CatalogStatsRequest,
  CatalogUpdateRequest,
  CatalogVersionsRequest,
  DidChangeCatalogNotification,
  type CatalogEntry,
  type CatalogErrorData,
  type EntrySummary,
} from '../protocol';
import { EngineUnavailableError } from '../runtime/runtime';
import { cancelledResponse, withWorkDone } from './progress';
import { type Session } from '../session';

export function registerCatalogHandlers(connection: Connection, session: () => Session): void {
  /** Runs `work` on the current catalog; every failure reaches the client as a named error. */
  const withCatalog =
    <P, R>(work: (catalog: Catalog, params: P, token: CancellationToken) => R | Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R | ResponseError<CatalogErrorData>> => {
      try {
        const runtime = await session().runtime();
        return await work(runtime.catalog(), params, token);
      } catch (error) {
        return toResponseError(error);
      }
    };

  connection.onRequest(
    CatalogListRequest.type,
    withCatalog((catalog, params) => catalog.list(params).map((entry) => summarise(catalog, entry))),
  );
  connection.onRequest(CatalogGroupsRequest.type, withCatalog((catalog) => catalog.groups()));
  connection.onRequest(
    CatalogSearchRequest.type,
    withCatalog((catalog, query) => {
      const { results, total } = catalog.search(query);
      return { results: results.map((found) => ({ ...summarise(catalog, found.entry), match: found.match })), total };
    }),
  );
  connection.onRequest(CatalogGetRequest.type, withCatalog((catalog, { id, version }) => catalog.resolve(id, version)));
  connection.onRequest(CatalogVersionsRequest.type, withCatalog((catalog, { id }) => catalog.versions(catalog.resolve(id).id)));
  connection.onRequest(CatalogRegisterRequest.type, withCatalog((catalog, { entry }) => catalog.register(entry)));
  connection.onRequest(CatalogUpdateRequest.type, withCatalog((catalog, { id, changes }) => catalog.update(id, changes)));
  connection.onRequest(CatalogCopyRequest.type, withCatalog((catalog, { id, name }) => catalog.copy(id, name)));
  connection.onRequest(
    CatalogSetFlagRequest.type,
    withCatalog((catalog, { id, action, reason }) => {
      switch (action) {
        case 'deprecate':
          return catalog.deprecate(id, reason ?? '');
        case 'undeprecate':
          return catalog.undeprecate(id);
        case 'delete':
          return catalog.delete(id);
        case 'restore':
          return catalog.restore(id);
      }
    }),
  );
  connection.onRequest(CatalogRecordUsageRequest.type, withCatalog((catalog, { id, action }) => catalog.recordUsage(id, action)));
  connection.onRequest(CatalogStatsRequest.type, withCatalog((catalog) => catalog.stats()));
  connection.onRequest(
    CatalogExportRequest.type,
    withCatalog((catalog, { workDoneToken, ...filter }, token) =>
      withWorkDone(connection, { workDoneToken }, token, 'Exporting the catalog', async (work) => {
        const { text, count } = await catalog.exportBundleText(filter, work);
        return { text: `${text}\n`, count };
      }),
    ),
  );
  connection.onRequest(
    CatalogImportRequest.type,
    withCatalog((catalog, { text, mode, dryRun, workDoneToken }, token) =>
      withWorkDone(connection, { workDoneToken }, token, dryRun ? 'Checking the catalog bundle' : 'Importing the catalog bundle', (work) =>
        catalog.importBundle(text, { mode, dryRun, ...work }),
      ),
    ),
  );
  connection.onRequest(CatalogDetectVariablesRequest.type, withCatalog((_catalog, { body }) => ({ variables: declaredVariableNames(body) })));
  connection.onRequest(
    CatalogRenderRequest.type,
    withCatalog(async (catalog, { id, values, dialect, indent }) => {
      const entry = catalog.resolve(id);
      if (entry.kind !== 'template') throw new CatalogError('invalid-entry', `"${entry.name}" is a ${entry.kind === 'pipeline' ? 'pipeline pattern' : 'business logic entry'}, not a template.`);
      const { format, sql } = session().currentSettings();
      // The user's dialect when the template supports it, else the template's own first.
      const chosen = dialect ?? (entry.dialects.includes(sql.dialect) ? sql.dialect : undefined);
      const result = render(entry, values, {
        ...(chosen === undefined ? {} : { dialect: chosen }),
        format: { keywordCase: format.keywordCase, linesBetweenQueries: format.linesBetweenQueries, ...(indent === undefined ? {} : indent) },
      });
      await catalog.recordUsage(entry.id, 'rendered');
      return { sql: result.sql, warnings: [...result.warnings] };
    }),
  );
}

export function publishCatalogChange(connection: Connection, ids: readonly string[]): void {
  void connection.sendNotification(DidChangeCatalogNotification.type, { ids });
}

function summarise(catalog: Catalog, entry: CatalogEntry): EntrySummary {
  const usage = catalog.usage(entry.id);
  return {
    id: entry.id,
    kind: entry.kind,
    name: entry.name,
    description: entry.description,
    tags: entry.tags,
    owner: entry.owner,
    version: entry.version,
    updatedAt: entry.updatedAt,
    ...(entry.deprecated === undefined ? {} : { deprecated: entry.deprecated }),
    ...(entry.deletedAt === undefined ? {} : { deletedAt: entry.deletedAt }),
    ...(entry.builtin === true ? { builtin: true } : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}

function toResponseError(error: unknown): ResponseError<CatalogErrorData> {
  const cancelled = cancelledResponse<CatalogErrorData>(error);
  if (cancelled !== undefined) return cancelled;
  if (error instanceof CatalogError) {
    return new ResponseError(ErrorCodes.InvalidParams, error.message, { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) });
  }
  if (error instanceof TemplateError) return new ResponseError(ErrorCodes.InvalidParams, error.message, { code: error.code });
  if (error instanceof EngineUnavailableError) return new ResponseError(ErrorCodes.InternalError, error.message, { code: 'engine-unavailable' });
  return new ResponseError(ErrorCodes.InternalError, error instanceof Error ? error.message : String(error), { code: 'internal' });
}
