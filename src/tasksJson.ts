// Where the `"type": "neurolake"` tasks are in a tasks.json: each one's place in the text (for a
// lens above it) and its definition as written. tasks.json is JSON with comments and trailing
// commas, read with jsonc-parser, the parser VS Code itself uses for it. No `vscode` here.
import { findNodeAtLocation, getNodeValue, parseTree } from 'jsonc-parser';
import type { WorkloadTaskDefinition } from './workloadTaskSpec';

export interface WorkloadTaskAt {
  /** Index in the `tasks` array. */
  readonly index: number;
  /** Where the task's object starts and how long it is, in characters of the text. */
  readonly offset: number;
  readonly length: number;
  readonly definition: WorkloadTaskDefinition;
}

/** Every neurolake task of the text, in order; none when the text has no `tasks` array (or is not JSON yet). */
export function findWorkloadTasks(text: string): WorkloadTaskAt[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const tasks = root === undefined ? undefined : findNodeAtLocation(root, ['tasks']);
  if (tasks?.type !== 'array') return [];
  const found: WorkloadTaskAt[] = [];
  (tasks.children ?? []).forEach((node, index) => {
    if (node.type !== 'object') return;
    const definition = getNodeValue(node) as Record<string, unknown>;
    if (definition['type'] !== 'neurolake') return;
    found.push({ index, offset: node.offset, length: node.length, definition: definition as unknown as WorkloadTaskDefinition });
  });
  return found;
}
