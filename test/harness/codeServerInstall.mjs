// Installs code-server (real VS Code: the workbench in a browser, the extension host in Node) into
// .vscode-test/, the way @vscode/test-electron caches a downloaded VS Code. Works offline except for
// the npm registry; see shared/notes/real-vscode-here.md for why each step exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './debianPackages.mjs';
import { logTail, runLogged } from './processes.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const packageDir = join(cacheDir, 'node_modules', 'code-server');
const vscodeDir = join(packageDir, 'lib', 'vscode');
const bin = join(cacheDir, 'node_modules', '.bin', 'code-server');
const marker = join(cacheDir, 'installed.json');
const log = join(cacheDir, 'install.log');

// VS Code's own dependencies with install scripts that Linux needs (native addons built by
// node-gyp, ripgrep fetched into place). npm 11 skips unapproved install scripts, and the Windows
// ones would only fail here.
const VSCODE_NATIVE = ['node-pty', 'kerberos', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher', '@vscode/deviceid'];
const ALLOWED_SCRIPTS = ['@vscode/ripgrep', ...VSCODE_NATIVE];

// What @vscode/ripgrep's postinstall (lib/postinstall.js, lib/download.js) asks for: the package
// version names the cache folder, its VERSION constant and the target name the tarball.
const RIPGREP = { packageVersion: '1.15.11', release: 'v13.0.0-10' };
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** Identifies an install: native addons are only valid for the Node ABI they were built for. */
function stamp() {
  return { codeServer: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, platform: platform(), arch: arch() };
}

function isInstalled() {
  if (!existsSync(marker) || !existsSync(bin)) return false;
  try {
    return JSON.stringify(JSON.parse(readFileSync(marker, 'utf8'))) === JSON.stringify(stamp());
  } catch {
    return false;
  }
}

function fail(step, detail) {
  return new Error(`code-server install failed: ${step}: ${detail}; log at ${log}`);
}

// How this machine reaches the registry, when given in the environment (a CI mirror, a proxy).
const KEEP_NPM_ENV = /^npm_config_(registry|@[^:]+:registry|cache|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|fetch_\w+)$/i;

/**
 * A clean npm environment: none of the npm_* variables of an enclosing `npm run` but the registry
 * access ones (the rest would become config of the nested installs, e.g. its local_prefix); our
 * own global npmrc approving the install scripts (npm rejects --allow-scripts for project
 * installs, and an env setting counts as a flag); `yes` for node-pty's `npx node-gyp`; this Node's
 * headers (node-gyp cannot download them offline); a private TMPDIR with the seeded ripgrep.
 */
function npmEnv() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || KEEP_NPM_ENV.test(key)),
  );
  const tmp = join(cacheDir, 'tmp');
  const globalNpmrc = spawnSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8', env }).stdout.trim();
  const inherited = globalNpmrc && existsSync(globalNpmrc) ? readFileSync(globalNpmrc, 'utf8') : '';
  const npmrc = join(cacheDir, 'npmrc');
  writeFileSync(npmrc, `${inherited}\nallow-scripts=${ALLOWED_SCRIPTS.join(',')}\n`);
  Object.assign(env, {
    npm_config_globalconfig: npmrc,
    npm_config_yes: 'true',
    npm_config_ignore_scripts: 'false',
    npm_config_foreground_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    TMPDIR: tmp,
  });
  const nodePrefix = dirname(dirname(process.execPath));
  if (existsSync(join(nodePrefix, 'include', 'node', 'node_version.h'))) env.npm_config_nodedir = nodePrefix;
  return env;
}

/** Puts Debian's rg where @vscode/ripgrep looks for a cached download, so it never hits GitHub. */
function seedRipgrep(env) {
  const shrinkwrap = JSON.parse(readFileSync(join(vscodeDir, 'npm-shrinkwrap.json'), 'utf8'));
  const wanted = shrinkwrap.packages['node_modules/@vscode/ripgrep']?.version;
  if (wanted !== RIPGREP.packageVersion) {
    throw fail('ripgrep', `VS Code pins @vscode/ripgrep ${wanted}, the harness knows ${RIPGREP.packageVersion}: update RIPGREP`);
  }
  const target = RIPGREP_TARGETS[arch()];
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!target || !rg) throw fail('ripgrep', `need Debian's ripgrep (rg) on ${arch()}`);
  const cache = join(env.TMPDIR, `vscode-ripgrep-cache-${RIPGREP.packageVersion}`);
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(env.TMPDIR, 'rg-'));
  copyFileSync(rg, join(staging, 'rg'));
  const tarball = join(cache, `ripgrep-${RIPGREP.release}-${target}.tar.gz`);
  const tar = spawnSync('tar', ['czf', tarball, '-C', staging, 'rg'], { encoding: 'utf8' });
  if (tar.status !== 0) throw fail('ripgrep', `tar: ${tar.stderr.trim()}`);
}

/** Names the package whose install script failed, from npm's "npm error path …" line. */
function failedPackage(text) {
  const paths = [...text.matchAll(/npm error path (\S+)/g)].map((m) => m[1]);
  const path = paths.find((p) => p.includes('/lib/vscode/')) ?? paths.at(-1);
  return path ? path.replace(/.*node_modules\//, '') : undefined;
}

/** The most telling line of a failed install: a compiler error, then make's, then npm's own. */
function failureCause(text) {
  const lines = text.split('\n').map((line) => line.trim());
  for (const pattern of [/\berror: /, /^make: \*\*\*/, /^npm error (code E|request to|network)/, /Downloading ripgrep failed/]) {
    const hit = lines.find((line) => pattern.test(line));
    if (hit) return hit.slice(0, 300);
  }
  return logTail(log);
}

/** Why `step` failed, naming the package whose build broke when npm says which one it was. */
function stepFailure(step) {
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const culprit = failedPackage(text);
  return fail(culprit ? `${step}: ${culprit} build` : step, failureCause(text));
}

/** Loads every native addon the way VS Code will, so a broken build fails here and not mid-test. */
function verify() {
  const script = `
    const { createRequire } = require('node:module');
    const { execFileSync } = require('node:child_process');
    const vscode = createRequire(${JSON.stringify(join(vscodeDir, 'package.json'))});
    for (const name of ${JSON.stringify(VSCODE_NATIVE)}) {
      try { vscode(name); } catch (e) { console.error(name + ' does not load: ' + e.message.split('\\n')[0]); process.exit(1); }
    }
    try { createRequire(${JSON.stringify(join(packageDir, 'package.json'))})('argon2'); }
    catch (e) { console.error('argon2 does not load: ' + e.message.split('\\n')[0]); process.exit(1); }
    execFileSync(vscode('@vscode/ripgrep').rgPath, ['--version']);
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw fail('verify', (result.stderr || result.stdout).trim().split('\n')[0]);
}

async function install() {
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(join(cacheDir, 'tmp'), { recursive: true });
  console.log(`[harness] installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (first run only, about a minute)`);
  const started = Date.now();
  // code-server's own postinstall is run below by hand: npm hands its config to lifecycle scripts as
  // npm_config_* variables, and the nested `npm install` would then reject allow-scripts as a flag.
  writeFileSync(
    join(cacheDir, 'package.json'),
    JSON.stringify(
      {
        name: 'neurolake-code-server-cache',
        private: true,
        dependencies: { 'code-server': CODE_SERVER_VERSION },
        allowScripts: { argon2: true, 'code-server': false },
      },
      null,
      2,
    ),
  );
  const env = npmEnv();
  const outer = await runLogged('npm', ['install', '--no-package-lock'], { cwd: cacheDir, env, logFile: log });
  if (outer.code !== 0) throw outer.error ? fail('npm', outer.error.message) : stepFailure(`npm install code-server@${CODE_SERVER_VERSION}`);

  seedRipgrep(env);
  const postinstall = await runLogged('sh', ['./postinstall.sh'], {
    cwd: packageDir,
    env: { ...env, npm_config_user_agent: `npm node/${process.version} ${platform()} ${arch()}`, npm_config_unsafe_perm: 'true' },
    logFile: log,
  });
  if (postinstall.code !== 0) throw stepFailure("VS Code's dependencies (code-server's postinstall.sh)");
  verify();
  writeFileSync(marker, JSON.stringify(stamp()));
  console.log(`[harness] code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Path to the code-server executable, installing it on first use; fast when already installed. */
export async function ensureCodeServer() {
  // Checked on every run (a few milliseconds): chromium is needed even when code-server is cached.
  ensureDebianPackages();
  if (!isInstalled()) await install();
  return bin;
}
