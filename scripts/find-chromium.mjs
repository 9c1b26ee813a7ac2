// Finds the Chromium the browser tests run in: $CHROMIUM_PATH, then /usr/bin/chromium. When none
// exists and we run as root on Debian (a fresh CI machine), installs Debian's `chromium` package
// and says so. Playwright's own browser download is never used: it cannot reach its CDN here, and
// Debian's Chromium is the one these tests are known to work with (see docs/testing.md).
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function version(path) {
  try {
    return execFileSync(path, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'version unknown';
  }
}

/** @returns {string} the absolute path of a Chromium executable; exits the process when none. */
export function findChromium({ log = console.log } = {}) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      fail(`CHROMIUM_PATH is set to "${fromEnv}", but no executable is there.`);
    }
    log(`Chromium: ${fromEnv} (from CHROMIUM_PATH) — ${version(fromEnv)}`);
    return fromEnv;
  }
  if (isExecutable(DEBIAN_CHROMIUM)) {
    log(`Chromium: ${DEBIAN_CHROMIUM} — ${version(DEBIAN_CHROMIUM)}`);
    return DEBIAN_CHROMIUM;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const isDebian = existsSync('/etc/debian_version') && isExecutable('/usr/bin/apt-get');
  if (isRoot && isDebian) {
    log(
      'Chromium: none found; running as root on Debian, so installing Debian\'s "chromium" package with apt-get…',
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env,
    });
    if (isExecutable(DEBIAN_CHROMIUM)) {
      log(`Chromium: installed ${DEBIAN_CHROMIUM} — ${version(DEBIAN_CHROMIUM)}`);
      return DEBIAN_CHROMIUM;
    }
    fail('apt-get reported success, but /usr/bin/chromium is still missing.');
  }
  fail(
    'No Chromium found for the browser tests.\n' +
      '  Install one (Debian/Ubuntu: sudo apt-get install chromium) or point CHROMIUM_PATH at a Chromium executable,\n' +
      '  then run npm test again.',
  );
}

function fail(message) {
  console.error(`\nnpm test: ${message}\n`);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(findChromium({ log: () => {} }));
}
