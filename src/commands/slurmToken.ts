// NeuroLake: Set Slurm Token… keeps the token in SecretStorage; the server gets it in its
// environment and restarts to use it. When the cluster refuses the token, the user is offered to
// set a new one.
import * as vscode from 'vscode';
import { SLURM_TOKEN_SECRET, type Ctx } from '../ctx';
import { type CommandFactories } from './registry';
import { normaliseSlurmToken, slurmTokenProblem } from './slurmTokenText';

const SET_TOKEN = 'Set Slurm Token…';

async function setSlurmToken(ctx: Ctx, answers?: { token?: string }): Promise<boolean> {
  const given = answers?.token;
  if (given !== undefined) {
    const problem = slurmTokenProblem(given, Date.now() / 1000);
    if (problem !== undefined) throw new Error(problem);
  }
  const text =
    given ??
    (await vscode.window.showInputBox({
      title: 'NeuroLake: Slurm token',
      prompt: 'The JWT slurmrestd accepts for your Slurm user (on the cluster: scontrol token lifespan=86400). Kept in VS Code\'s secret storage; empty removes it.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? undefined : slurmTokenProblem(value, Date.now() / 1000)),
    }));
  if (text === undefined) return false;
  if (text.trim() === '') await ctx.extensionContext.secrets.delete(SLURM_TOKEN_SECRET);
  else await ctx.extensionContext.secrets.store(SLURM_TOKEN_SECRET, normaliseSlurmToken(text));
  // SecretStorage's change event restarts the server with the new token (in every window).
  return true;
}

/** Offers a new token whenever the cluster refuses the current one. */
export function offerNewSlurmToken(ctx: Ctx): vscode.Disposable {
  return ctx.onDidRefuseSlurmToken(async (message) => {
    ctx.log.warn(message);
    const choice = await vscode.window.showWarningMessage(`NeuroLake: ${message}`, SET_TOKEN);
    if (choice === SET_TOKEN) await vscode.commands.executeCommand('neurolake.compute.setSlurmToken');
  });
}

export const slurmTokenCommands: CommandFactories = {
  'neurolake.compute.setSlurmToken':
    ({ ctx }) =>
    (answers?: { token?: string }) =>
      setSlurmToken(ctx, answers),
};
