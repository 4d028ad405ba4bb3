// The module VS Code loads as --extensionTestsPath: runs every compiled *.test.js next to it with
// mocha inside the extension host, where the real `vscode` API is available.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { mapStack } from './sourceMaps';

// Reporters log printf-style ('%s (%dms)', title, ms). A browser-hosted extension host forwards
// console arguments unformatted, so format here; a desktop VS Code prints the same text.
Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));

export async function run(): Promise<void> {
  // Lets findSourceMap (sourceMaps.ts) read the maps the build writes beside the suite.
  process.setSourceMapsEnabled(true);
  // No colours: the output is forwarded through the browser page or a pipe, never a terminal.
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000 });
  const tests = fs.readdirSync(__dirname).filter((file) => file.endsWith('.test.js'));
  if (tests.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
  for (const file of tests.sort()) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    // Before the spec reporter prints the failure at the end of the run.
    runner.on('fail', (_test, error: Error) => {
      if (error.stack) error.stack = mapStack(error.stack);
    });
  });
  if (failures > 0) throw new Error(`${failures} VS Code integration test(s) failed`);
}
