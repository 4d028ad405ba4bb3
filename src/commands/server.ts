// Commands about the server itself: status, log, restart, data folder.
import * as vscode from 'vscode';
import type { ServerStatus } from '../../server/protocol';
import { type CommandFactories } from './registry';

export const serverCommands: CommandFactories = {
  'neurolake.showStatus':
    ({ ctx }) =>
    async (): Promise<ServerStatus> => {
      const status = await ctx.status();
      // A degraded engine works with a problem worth reading; it is shown like a failed one.
      const failed = status.engines.filter((engine) => engine.state === 'failed' || engine.state === 'degraded');
      if (failed.length === 0) {
        void vscode.window.showInformationMessage(`NeuroLake ${status.version} ready — data folder ${status.dataFolder}`);
      } else {
        void ctx.offerLog('warning', `NeuroLake ${status.version}: ${failed.map((engine) => engine.detail ?? engine.name).join(' ')}`);
      }
      ctx.log.info(`Status: ${JSON.stringify(status)}`);
      return status;
    },

  'neurolake.showLog':
    ({ ctx }) =>
    () =>
      ctx.log.show(),

  'neurolake.restartServer':
    ({ ctx }) =>
    () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Restarting the NeuroLake server…' },
        () => ctx.restart(),
      ),

  'neurolake.openDataFolder':
    ({ ctx }) =>
    async () => {
      const { dataFolder } = await ctx.status();
      const uri = vscode.Uri.file(dataFolder);
      // Revealing in the OS file manager only makes sense when the editor runs on this machine.
      if (vscode.env.remoteName === undefined) await vscode.commands.executeCommand('revealFileInOS', uri);
      else await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    },
};
