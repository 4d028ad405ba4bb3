// LSP glue for the catalog: each request asks the session's runtime for the catalog engine and
// turns engine failures into response errors whose message the extension shows as it is.
import { ErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { CatalogError, type Catalog, type CatalogEntry } from '../engines/catalog';
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
  CatalogRefreshRequest,
  CatalogRegisterRequest,
  CatalogRenderRequest,
  CatalogSearchRequest,
  CatalogSetFlagRequest,
  CatalogStatsRequest,
  CatalogUpdateRequest,
  CatalogVersionsRequest,
  DidChangeCatalogNotification,
  type CatalogErrorData,
  type EntrySummary,
} from '../protocol';
import { type Session } from '../session';
import { genericResponseError } from './errors';
import {
  toEngineExportFilter,
  toEngineListQuery,
  toEngineQuery,
  toWireEntry,
  toWireGroup,
  toWireImportReport,
  toWireStats,
  toWireSummary,
  toWireUsage,
} from './catalogWire';
import { onRequest, sendNotification } from './connection';
import { cancelledResponse, withWorkDone } from './progress';

export function registerCatalogHandlers(connection: Connection, session: () => Session): void {
  /** Runs `work` on the current catalog; every failure reaches the client as a named error. */
  const withCatalog =
    <P, R>(work: (catalog: Catalog, params: P, token: CancellationToken) => R | Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R | ResponseError<CatalogErrorData>> => {
      try {
        const runtime = await session().runtime();
        return await work(runtime.engine('catalog'), params, token);
      } catch (error) {
        return toResponseError(error);
      }
    };

  onRequest(
    connection,
    CatalogListRequest,
    withCatalog((catalog, params) => catalog.list(toEngineListQuery(params)).map((entry) => summarise(catalog, entry))),
  );
  onRequest(connection, CatalogGroupsRequest, withCatalog((catalog) => catalog.groups().map(toWireGroup)));
  onRequest(
    connection,
    CatalogSearchRequest,
    withCatalog((catalog, query) => {
      const { results, total } = catalog.search(toEngineQuery(query));
      return { results: results.map((found) => ({ ...summarise(catalog, found.entry), match: found.match })), total };
    }),
  );
  onRequest(connection, CatalogGetRequest, withCatalog((catalog, { id, version }) => toWireEntry(catalog.resolve(id, version))));
  onRequest(connection, CatalogVersionsRequest, withCatalog((catalog, { id }) => catalog.versions(catalog.resolve(id).id).map(toWireEntry)));
  onRequest(connection, CatalogRegisterRequest, withCatalog(async (catalog, { entry }) => toWireEntry(await catalog.register(entry))));
  onRequest(connection, CatalogUpdateRequest, withCatalog(async (catalog, { id, changes }) => toWireEntry(await catalog.update(id, changes))));
  onRequest(connection, CatalogCopyRequest, withCatalog(async (catalog, { id, name }) => toWireEntry(await catalog.copy(id, name))));
  onRequest(
    connection,
    CatalogSetFlagRequest,
    withCatalog(async (catalog, { id, action, reason }) => {
      switch (action) {
        case 'deprecate':
          return toWireEntry(await catalog.deprecate(id, reason ?? ''));
        case 'undeprecate':
          return toWireEntry(await catalog.undeprecate(id));
        case 'delete':
          return toWireEntry(await catalog.delete(id));
        case 'restore':
          return toWireEntry(await catalog.restore(id));
      }
    }),
  );
  onRequest(connection, CatalogRecordUsageRequest, withCatalog(async (catalog, { id, action }) => toWireUsage(await catalog.recordUsage(id, action))));
  onRequest(connection, CatalogStatsRequest, withCatalog((catalog) => toWireStats(catalog.stats())));
  onRequest(connection, CatalogRefreshRequest, withCatalog(async (catalog) => ({ changed: await catalog.refresh() })));
  onRequest(
    connection,
    CatalogExportRequest,
    withCatalog((catalog, { workDoneToken, ...filter }, token) =>
      withWorkDone(connection, { workDoneToken }, token, 'Exporting the catalog', async (work) => {
        const { text, count } = await catalog.exportBundleText(toEngineExportFilter(filter), work);
        return { text: `${text}\n`, count };
      }),
    ),
  );
  onRequest(
    connection,
    CatalogImportRequest,
    withCatalog((catalog, { text, mode, dryRun, workDoneToken }, token) =>
      withWorkDone(connection, { workDoneToken }, token, dryRun ? 'Checking the catalog bundle' : 'Importing the catalog bundle', async (work) =>
        toWireImportReport(await catalog.importBundle(text, { mode, dryRun, ...work })),
      ),
    ),
  );
  onRequest(connection, CatalogDetectVariablesRequest, withCatalog((_catalog, { body }) => ({ variables: declaredVariableNames(body) })));
  onRequest(
    connection,
    CatalogRenderRequest,
    withCatalog((catalog, { id, values, dialect, indent }) => {
      const entry = catalog.resolve(id);
      if (entry.kind !== 'template') throw new CatalogError('invalid-entry', `"${entry.name}" is a ${entry.kind === 'pipeline' ? 'pipeline pattern' : 'business logic entry'}, not a template.`);
      const { format, sql } = session().currentSettings();
      // The user's dialect when the template supports it, else the template's own first.
      const chosen = dialect ?? (entry.dialects.includes(sql.dialect) ? sql.dialect : undefined);
      const result = render(entry, values, {
        ...(chosen === undefined ? {} : { dialect: chosen }),
        format: { keywordCase: format.keywordCase, linesBetweenQueries: format.linesBetweenQueries, ...(indent === undefined ? {} : indent) },
      });
      // No use counted here: the caller counts one when the SQL lands (Insert into Editor's
      // `inserted`), so one insert is one use, as it is for an accepted completion.
      return { sql: result.sql, warnings: [...result.warnings] };
    }),
  );
}

export function publishCatalogChange(connection: Connection, ids: readonly string[]): void {
  void sendNotification(connection, DidChangeCatalogNotification, { ids });
}

function summarise(catalog: Catalog, entry: CatalogEntry): EntrySummary {
  return toWireSummary(entry, catalog.usage(entry.id));
}

function toResponseError(error: unknown): ResponseError<CatalogErrorData> {
  const cancelled = cancelledResponse<CatalogErrorData>(error);
  if (cancelled !== undefined) return cancelled;
  if (error instanceof CatalogError) {
    return new ResponseError(ErrorCodes.InvalidParams, error.message, { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) });
  }
  if (error instanceof TemplateError) return new ResponseError(ErrorCodes.InvalidParams, error.message, { code: error.code });
  return genericResponseError<CatalogErrorData>(error);
}
