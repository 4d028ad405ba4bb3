// The `neurolake` command line: subcommands over the same engines and data folder as the extension.
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { defaultDataFolderContext, resolveDataFolder } from '../runtime/dataFolder';
import { CliError, type Io } from './output';
import { statusCommand } from './status';

interface GlobalOptions {
  readonly dataFolder?: string;
}

export function buildProgram(io: Io): Command {
  const program = new Command('neurolake')
    .description('NeuroLake from the shell: the catalog, storage and compute engines of the VS Code extension, for scripts and CI.')
    .version(version)
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .showHelpAfterError('(run neurolake --help for usage)')
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .exitOverride();

  const dataFolder = (): string =>
    resolveDataFolder(program.opts<GlobalOptions>().dataFolder ?? '', defaultDataFolderContext());

  program
    .command('status')
    .description('show the version, the data folder and the state of each engine; exits 1 when one failed')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => statusCommand(io, dataFolder(), options));

  return program;
}

/** Runs the CLI and returns the exit code; every failure becomes one line on stderr. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      io.err(`neurolake: ${error.message}`);
      return error.exitCode;
    }
    io.err(`neurolake: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
