// The rows of the Storage view, shared by its tree provider, its drag and drop controller and the
// commands on its items. Each tier is a top row; under it, folders by key prefix and the objects
// with a copy in that tier, a page at a time.
import type { StorageObject, StorageTier } from '../../server/protocol';

export type StorageNode =
  | { readonly type: 'tier'; readonly tier: StorageTier }
  | { readonly type: 'folder'; readonly tier: StorageTier; readonly prefix: string }
  | { readonly type: 'object'; readonly tier: StorageTier; readonly object: StorageObject }
  | { readonly type: 'more'; readonly tier: StorageTier; readonly prefix: string; readonly cursor: string };

/** The tier a node belongs to: where a drop onto it sends objects. */
export function nodeTier(node: StorageNode): StorageTier {
  return node.tier;
}

/** Objects a command acts on: the clicked row, or every selected object row when several are selected. */
export function selectedObjects(clicked: StorageNode | undefined, selected: readonly StorageNode[] | undefined): StorageObject[] {
  const rows = selected !== undefined && selected.length > 0 ? selected : clicked === undefined ? [] : [clicked];
  return rows.flatMap((row) => (row.type === 'object' ? [row.object] : []));
}
