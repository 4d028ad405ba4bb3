// Exit codes of the `neurolake` CLI, so scripts can tell "not there" from "already there" from
// "you typed it wrong" without parsing the message.
import type { CatalogErrorCode } from '../engines/catalog';

export const EXIT = {
  ok: 0,
  /** Anything else: storage, lock, a corrupt file, an engine that failed. */
  general: 1,
  /** The command line itself: unknown command or option, missing argument, options that do not fit together. */
  usage: 2,
  /** No such entry, version or file. */
  notFound: 3,
  /** The name is taken, or the entry is read-only. */
  conflict: 4,
  /** The content was refused: an invalid entry, JSON that does not parse, a bad or too new bundle. */
  invalidInput: 5,
  /** Long work stopped by Ctrl-C before it changed anything (128 + SIGINT, as shells report it). */
  cancelled: 130,
} as const;

export function exitCodeFor(code: CatalogErrorCode): number {
  switch (code) {
    case 'not-found':
      return EXIT.notFound;
    case 'duplicate-name':
    case 'read-only':
      return EXIT.conflict;
    case 'invalid-entry':
    case 'invalid-bundle':
    case 'bundle-too-large':
    case 'newer-format':
      return EXIT.invalidInput;
    case 'corrupt-file':
    case 'storage':
      return EXIT.general;
  }
}

/** Shown by `neurolake catalog --help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  general failure (storage, lock, unreadable catalog file)
  2  usage: unknown command or option, missing argument, options that do not fit together
  3  not found: no such entry, version or file
  4  conflict: the name is already taken, or the entry is read-only
  5  invalid input: the entry or bundle was refused (bad JSON, bad field, newer format, too large)
  130  cancelled with Ctrl-C before anything was changed

Long work (import, export) shows a progress bar on a terminal and plain lines on stderr otherwise;
NEUROLAKE_PROGRESS=bar, lines or off chooses.`;
