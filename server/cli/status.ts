// `neurolake status`: the same status the extension's server reports, for the same data folder.
import type { ServerStatus } from '../protocol/types';
import { Runtime } from '../runtime/runtime';
import { CliError, print, type Io, type OutputOptions } from './output';

export async function statusCommand(io: Io, dataFolder: string, options: OutputOptions): Promise<void> {
  const runtime = await Runtime.open({ dataFolder });
  const status = runtime.status();
  print(io, options, status, () => formatStatus(status));
  await runtime.close();
  const failures = runtime.failures();
  if (failures.length > 0) throw new CliError(failures.map((engine) => engine.detail ?? `${engine.name} failed`).join(' '));
}

function formatStatus(status: ServerStatus): string {
  const lines = [`NeuroLake ${status.version}`, `data folder: ${status.dataFolder}`];
  for (const engine of status.engines) {
    lines.push(`  ${engine.name.padEnd(12)} ${engine.state}${engine.detail === undefined ? '' : `  ${engine.detail}`}`);
  }
  return lines.join('\n');
}
