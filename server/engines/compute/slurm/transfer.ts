// How a burst job's files travel when the cluster shares no folder with this machine: through
// the storage engine's cloud tier, by presigned URLs the job script fetches and uploads with curl.
// The compute engine knows only this interface; the runtime implements it over the storage engine.
import { shellQuote } from '../localExecutor';

export interface BurstTransfer {
  /** Copies the storage object `key` to the staging name and answers a URL that downloads it, valid `seconds`. */
  shareObject(key: string, name: string, seconds: number): Promise<string>;
  /** Copies a file of this machine to the staging name and answers a URL that downloads it. */
  shareFile(path: string, name: string, seconds: number): Promise<string>;
  /** A URL the job uploads the staging name to (HTTP PUT). */
  uploadUrl(name: string, seconds: number): Promise<string>;
  /** Stores what the job uploaded to `name` in storage under `key`; false when it uploaded nothing there. */
  collectObject(name: string, key: string): Promise<boolean>;
  /** Downloads what the job uploaded to `name` into a file here; false when it uploaded nothing there. */
  collectFile(name: string, path: string): Promise<boolean>;
  /** Removes every staging name under `prefix`. */
  discard(prefix: string): Promise<void>;
}

export interface StagedFiles {
  /** Downloaded before the command runs, to these paths relative to the job's folder. */
  readonly downloads: readonly { readonly path: string; readonly url: string }[];
  /** Uploaded after it ran, from these paths, when they exist. */
  readonly uploads: readonly { readonly path: string; readonly url: string }[];
  readonly logUrl: string;
}

/** Exit code of a job whose input could not be downloaded (EX_NOINPUT): the command did not run. */
export const INPUT_MISSING_EXIT = 66;

/**
 * The batch script of a staged job: a scratch folder on the node, the inputs downloaded, the
 * command run with its output in a log, the outputs and the log uploaded, the command's exit code.
 */
export function stagedJobScript(command: string, files: StagedFiles): string {
  const curl = 'curl -fsS --retry 3 --retry-delay 1';
  const lines = [
    '#!/bin/bash',
    'work=$(mktemp -d "${TMPDIR:-/tmp}/neurolake-run-XXXXXX") || exit 70',
    'cd "$work" || exit 70',
    'log="$work/.neurolake-output.log"',
    'exec >"$log" 2>&1',
    `upload_log() { exec >/dev/null 2>&1; ${curl} -T "$log" ${shellQuote(files.logUrl)}; cd /; rm -rf "$work"; }`,
    ...files.downloads.flatMap(({ path, url }) => [
      `mkdir -p "$(dirname ${shellQuote(path)})"`,
      `${curl} -o ${shellQuote(path)} ${shellQuote(url)} || { echo ${shellQuote(`NeuroLake: the input ${path} could not be downloaded`)}; upload_log; exit ${INPUT_MISSING_EXIT}; }`,
    ]),
    command,
    'code=$?',
    ...files.uploads.map(({ path, url }) =>
      `if [ -f ${shellQuote(path)} ]; then ${curl} -T ${shellQuote(path)} ${shellQuote(url)} || echo ${shellQuote(`NeuroLake: the output ${path} could not be uploaded`)}; else echo ${shellQuote(`NeuroLake: the job made no ${path}`)}; fi`,
    ),
    'upload_log',
    'exit $code',
    '',
  ];
  return lines.join('\n');
}
