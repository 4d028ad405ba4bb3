// Commands acting on the NeuroLake views.
import { type CommandFactories } from './registry';

export const viewCommands: CommandFactories = {
  'neurolake.refreshViews':
    ({ views }) =>
    () =>
      views.refreshAll(),
};
