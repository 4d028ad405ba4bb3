// Commands acting on the NeuroLake views.
import { type CommandFactories } from './registry';

export const viewCommands: CommandFactories = {
  /** Resolves to the Catalog view's top rows (label and count) once it shows the catalog file's current state. */
  'neurolake.refreshViews':
    ({ views }) =>
    () =>
      views.refreshAll(),
};
