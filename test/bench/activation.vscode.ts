// Runs inside a real VS Code extension host: activates NeuroLake and prints how long activate()
// took and when the server answered. Figures only; nothing is asserted.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<NeuroLakeApi>('neurolake.neurolake');
  if (extension === undefined) throw new Error('NeuroLake is not loaded');
  const api = await extension.activate();
  await api.ready();
  const out = process.env['NEUROLAKE_BENCH_OUT'];
  if (out === undefined) throw new Error('NEUROLAKE_BENCH_OUT is not set');
  writeFileSync(out, JSON.stringify(api.timings()));
}
