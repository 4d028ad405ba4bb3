// The one way a CLI command opens NeuroLake: the same Runtime the language server opens, for the
// same data folder and catalog file (flags, then $NEUROLAKE_HOME / $NEUROLAKE_CATALOG_FILE, then
// the defaults), always closed afterwards so files are complete.
import { Runtime, type DefaultEngines, type Location } from '../runtime';
import { type Io } from './output';

export interface CliContext {
  readonly io: Io;
  /** Resolved lazily: the options are only known once commander has parsed them. */
  location(): Location;
}

export interface RuntimeUse {
  /** The engines the command uses; default: all of them (`neurolake status`). */
  readonly only?: readonly (keyof DefaultEngines)[];
  /** Print warnings (a damaged file kept aside) on stderr as they happen. */
  readonly warnings?: boolean;
}

/** Opens the runtime, runs `work`, and closes it whatever happened. */
export async function withRuntime<T>(ctx: CliContext, use: RuntimeUse, work: (runtime: Runtime) => Promise<T> | T): Promise<T> {
  const runtime = await Runtime.open({
    location: ctx.location(),
    ...(use.only === undefined ? {} : { only: use.only }),
    ...(use.warnings === true ? { onWarning: (message: string) => ctx.io.err(`neurolake: warning: ${message}`) } : {}),
  });
  let result: T;
  try {
    result = await work(runtime);
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
  await runtime.close();
  return result;
}
