// The command registry: every command is a factory taking the Ctx, registered in one place.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { catalogCommands } from './catalog';
import { catalogInsertCommands } from './catalogInsert';
import { catalogTransferCommands } from './catalogTransfer';
import { computeCommands } from './compute';
import { computeRunCommands } from './computeRun';
import { slurmTokenCommands } from './slurmToken';
import { costCommands } from './cost';
import { serverCommands } from './server';
import { storageCommands } from './storage';
import { storageCloudCommands } from './storageCloud';
import { storageStoreCommands } from './storageStore';
import { templateCommands } from './template';
import { viewCommands } from './views';
import { workloadTaskCommands } from './workloadTasks';
import { type ViewRegistry } from '../views/registry';

/** Commands take whatever VS Code or a caller passes; each declares what it understands. */
export type Cmd = (...args: never[]) => unknown;

export interface CommandDeps {
  readonly ctx: Ctx;
  readonly views: ViewRegistry;
}

export type CommandFactories = Record<string, (deps: CommandDeps) => Cmd>;

/**
 * Registers every command; a failing command shows its cause once, with the log a click away, and
 * logs the details.
 */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  // The user has been told by then. A rejection too would make VS Code say it again, in a modal
  // "Command … resulted in an error" dialog when the command came from the palette, so a failed
  // command resolves to nothing. The extension's own tests run it in Test mode and get the
  // rejection, to check the cause they were given.
  const rejectFailures = deps.ctx.extensionContext.extensionMode === vscode.ExtensionMode.Test;
  const factories: CommandFactories = { ...serverCommands, ...viewCommands, ...catalogCommands, ...catalogInsertCommands, ...catalogTransferCommands, ...templateCommands, ...computeCommands, ...computeRunCommands, ...slurmTokenCommands, ...costCommands, ...storageCommands, ...storageStoreCommands, ...storageCloudCommands, ...workloadTaskCommands };
  return Object.entries(factories).map(([id, factory]) => {
    // Arguments are untyped at this boundary: tree nodes, URIs, or options from other commands.
    const run = factory(deps) as (...args: unknown[]) => unknown;
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deps.ctx.log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
        void deps.ctx.offerLog('error', message);
        if (rejectFailures) throw error;
        return undefined;
      }
    });
  });
}
