// LSP glue for cost insight: each request asks the session's runtime for the cost engine (whose
// prices the session keeps in step with the `neurolake.cost.*` settings) and answers in the
// protocol's shapes; engine failures become response errors the extension shows as they are.
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { CostError, type CostEngine } from '../engines/cost';
import {
  CostApplyRequest,
  CostCompareRequest,
  CostDashboardRequest,
  CostForecastRequest,
  CostImportPricesRequest,
  CostPricesRequest,
  CostRecommendationsRequest,
  CostReportRequest,
  CostRoiRequest,
  DidChangeCostNotification,
  type CostDashboard,
  type CostErrorData,
} from '../protocol';
import { type Session } from '../session';
import { genericResponseError } from './errors';
import { onRequest, sendNotification } from './connection';
import { cancelledResponse } from './progress';
import {
  toEngineComparison,
  toWireComparison,
  toWireDashboard,
  toWireForecast,
  toWireImport,
  toWirePriceList,
  toWireRecommendation,
  toWireRoi,
} from './costWire';

export function registerCostHandlers(connection: Connection, session: () => Session): void {
  const withCost =
    <P, R>(work: (cost: CostEngine, params: P) => R | Promise<R>) =>
    async (params: P): Promise<R | ResponseError<CostErrorData>> => {
      try {
        const runtime = await session().runtime();
        return await work(runtime.engine('cost'), params);
      } catch (error) {
        return costResponseError(error);
      }
    };
  /** The ROI of the machine the settings name, when they name one. */
  const hardwareUsd = (given?: number): { hardwareUsd?: number } => {
    const fromSettings = session().currentSettings().cost.hardwareUsd;
    const chosen = given ?? fromSettings ?? undefined;
    return chosen === undefined ? {} : { hardwareUsd: chosen };
  };

  onRequest(connection, CostDashboardRequest, withCost((cost, params) => dashboard(cost, hardwareUsd(params?.hardwareUsd))));
  onRequest(connection, CostCompareRequest, withCost((cost, params) => toWireComparison(cost.compare(toEngineComparison(params)))));
  onRequest(connection, CostForecastRequest, withCost(async (cost) => toWireForecast((await cost.dashboard()).forecast)));
  onRequest(connection, CostRecommendationsRequest, withCost(async (cost) => (await cost.dashboard()).recommendations.map(toWireRecommendation)));
  onRequest(
    connection,
    CostApplyRequest,
    withCost(async (cost, { id }) => {
      const applied = await cost.apply(id);
      return { done: applied.done, recommendation: toWireRecommendation(applied.recommendation), dashboard: await dashboard(cost, hardwareUsd()) };
    }),
  );
  onRequest(connection, CostRoiRequest, withCost(async (cost, { hardwareUsd: usd }) => toWireRoi(await cost.roi(usd))));
  onRequest(connection, CostReportRequest, withCost(async (cost, { format, hardwareUsd: usd }) => ({ text: await cost.report(format, hardwareUsd(usd)) })));
  onRequest(connection, CostPricesRequest, withCost((cost) => toWirePriceList(cost.prices(), cost.presetNames())));
  onRequest(
    connection,
    CostImportPricesRequest,
    withCost(async (cost, { text, fileName, saveAs }) => {
      const result = cost.importPriceList(text, fileName);
      await cost.savePrices(saveAs);
      return toWireImport(result, saveAs);
    }),
  );
}

export function publishCostChange(connection: Connection, reason: 'prices' | 'records'): void {
  void sendNotification(connection, DidChangeCostNotification, { reason });
}

async function dashboard(cost: CostEngine, options: { hardwareUsd?: number }): Promise<CostDashboard> {
  return toWireDashboard(await cost.dashboard(options), cost.status().recordsFrom);
}

export function costResponseError(error: unknown): ResponseError<CostErrorData> {
  const cancelled = cancelledResponse<CostErrorData>(error);
  if (cancelled !== undefined) return cancelled;
  if (error instanceof CostError) {
    const code = error.code === 'closed' ? ErrorCodes.InternalError : ErrorCodes.InvalidParams;
    return new ResponseError(code, error.message, { code: error.code, ...(error.path === undefined ? {} : { path: error.path }) });
  }
  return genericResponseError<CostErrorData>(error);
}
