// The `neurolake` command line: subcommands over the same engines and data folder as the extension.
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { resolveLocation, type Location } from '../runtime';
import { addCatalogCommands } from './catalog';
import { addComputeCommands } from './compute';
import { addCostCommands } from './cost';
import { EXIT } from './exitCodes';
import { CliError, type Io } from './output';
import { statusCommand } from './status';
import { addStorageCommands } from './storage';
import { addTemplateCommands } from './template';

interface GlobalOptions {
  readonly dataFolder?: string;
  readonly catalogFile?: string;
}

export function buildProgram(io: Io): Command {
  const program = new Command('neurolake')
    .description('NeuroLake from the shell: the catalog, storage and compute engines of the VS Code extension, for scripts and CI.')
    .version(version)
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .option('--catalog-file <path>', 'catalog file (default: $NEUROLAKE_CATALOG_FILE, else <data folder>/catalog.json)')
    // Global options go before the subcommand, so a subcommand's own `--version` (catalog get) is its own.
    // The subcommands that need them accept them after their name too.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      // Usage errors too are one line a script can log: `neurolake: unknown option '--x' (…)`.
      outputError: (text, write) => write(`neurolake: ${text.trim().replace(/^error: /, '')} (see --help)`),
    })
    .exitOverride();

  /** A subcommand's own --data-folder/--catalog-file win over the ones given before it. */
  const globals = (command?: Command): GlobalOptions => ({ ...program.opts<GlobalOptions>(), ...definedOnly(command?.opts<GlobalOptions>()) });
  /** Resolved exactly as the server resolves its settings, with the working directory as the base. */
  const location = (command: Command): Location => {
    const chosen = globals(command);
    return resolveLocation({ dataFolder: chosen.dataFolder ?? '', catalogFile: chosen.catalogFile ?? '' });
  };

  const status: Command = program
    .command('status')
    .description('show the version, the data folder, the catalog file and the state of each engine; exits 1 when one failed')
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .option('--catalog-file <path>', 'catalog file (default: $NEUROLAKE_CATALOG_FILE, else <data folder>/catalog.json)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => statusCommand({ io, location: () => location(status) }, options));

  const catalog: Command = addCatalogCommands(program, { io, location: () => location(catalog) });
  const template: Command = addTemplateCommands(program, { io, location: () => location(template) });
  const compute: Command = addComputeCommands(program, { io, dataFolder: () => location(compute).dataFolder });
  const cost: Command = addCostCommands(program, { io, location: () => location(cost) });
  const storage: Command = addStorageCommands(program, { io, dataFolder: () => location(storage).dataFolder });

  return program;
}

function definedOnly<T extends object>(options: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Runs the CLI and returns the exit code; every failure becomes one line on stderr. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    // Help and --version end in a CommanderError too, with exit code 0; anything else is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CliError) {
      io.err(`neurolake: ${error.message}`);
      return error.exitCode;
    }
    io.err(`neurolake: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.general;
  }
}
