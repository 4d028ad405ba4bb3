// Points failing tests' stack traces at the .ts sources. VS Code's extension host installs its own
// Error.prepareStackTrace, which bypasses Node's source map support, so frames of the compiled
// suite are mapped here, in the message mocha prints.
import { findSourceMap } from 'node:module';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function mapFrame(frame: string, file: string, line: string, column: string): string {
  const absolute = path.isAbsolute(file) ? file : path.join(repoRoot, file);
  const entry = findSourceMap(absolute)?.findEntry(Number(line) - 1, Number(column) - 1);
  if (!entry || !('originalSource' in entry)) return frame;
  const source = entry.originalSource.replace(/^file:\/\//, '');
  return `${path.relative(repoRoot, path.resolve(path.dirname(absolute), source))}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** `stack` with every `out/test/vscode/*.js:line:col` frame replaced by its TypeScript position. */
export function mapStack(stack: string): string {
  return stack.replace(/([^\s()]+\.js):(\d+):(\d+)/g, mapFrame);
}
