// The Debian packages the real-VS-Code harness needs: chromium (the browser that runs the workbench),
// ripgrep (VS Code's search; its npm package would download it from GitHub, which is unreachable) and
// libkrb5-dev (headers for VS Code's kerberos addon). Installed with apt when missing and root.
import { spawnSync } from 'node:child_process';

export const REQUIRED_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];

function installed(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Packages still missing: the required ones plus a compiler toolchain if none is present. */
export function missingPackages() {
  if (!hasCommand('dpkg-query')) throw new Error(`not a Debian system: install ${REQUIRED_PACKAGES.join(', ')} yourself`);
  const missing = REQUIRED_PACKAGES.filter((pkg) => !installed(pkg));
  // node-gyp builds VS Code's native modules (node-pty, kerberos, spdlog…); without a toolchain
  // that fails late and obscurely, so ask for it up front.
  if (!hasCommand('make') || !hasCommand('g++')) missing.push('build-essential');
  if (!hasCommand('python3')) missing.push('python3');
  return missing;
}

function apt(args) {
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Installs what is missing (apt-get update once, then one install), or explains what to install. */
export function ensureDebianPackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}; run as root or: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }
  console.log(`[harness] installing Debian packages: ${missing.join(' ')}`);
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...missing]);
}
