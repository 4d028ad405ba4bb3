// `neurolake status`: the same status the extension's server reports, for the same data folder
// and catalog file.
import { type RuntimeStatus } from '../runtime';
import { CliError, print, type OutputOptions } from './output';
import { withRuntime, type CliContext } from './runtimeContext';

export async function statusCommand(ctx: CliContext, options: OutputOptions): Promise<void> {
  const { status, failures } = await withRuntime(ctx, {}, (runtime) => ({ status: runtime.status(), failures: runtime.failures() }));
  print(ctx.io, options, status, () => formatStatus(status));
  if (failures.length > 0) throw new CliError(failures.map((engine) => engine.detail ?? `${engine.name} failed`).join(' '));
}

function formatStatus(status: RuntimeStatus): string {
  const lines = [`NeuroLake ${status.version}`, `data folder:  ${status.dataFolder}`, `catalog file: ${status.catalogFile}`];
  for (const engine of status.engines) {
    lines.push(`  ${engine.name.padEnd(12)} ${engine.state}${engine.detail === undefined ? '' : `  ${engine.detail}`}`);
  }
  return lines.join('\n');
}
