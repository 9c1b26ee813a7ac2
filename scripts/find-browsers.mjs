// Finds the browsers the browser tests run in — Debian's Chromium, Firefox ESR and WebKitGTK
// (WebKitWebDriver + MiniBrowser, run under xvfb-run) — each at its environment variable, then
// at Debian's path. When any is missing and we run as root on Debian (a fresh CI machine), ONE
// apt-get update + install adds the missing packages, and says so. Playwright's own browser
// downloads are never used: they cannot reach their CDN here, and Playwright cannot drive stock
// Firefox or WebKitGTK anyway (see docs/browser-support.md).
//
// E2E_ENGINES=chromium,firefox,webkit (default: all three) limits the engines looked for, and
// so the engines the browser suite runs in.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/**
 * What each engine needs: the executables (env var, Debian default) and the Debian packages
 * that provide them. `version` says which executable reports the engine's version.
 */
const NEEDS = {
  chromium: {
    label: 'Chromium',
    files: [{ env: 'CHROMIUM_PATH', path: '/usr/bin/chromium', version: ['--version'] }],
    packages: ['chromium'],
  },
  firefox: {
    label: 'Firefox',
    files: [{ env: 'FIREFOX_PATH', path: '/usr/bin/firefox-esr', version: ['--version'] }],
    packages: ['firefox-esr'],
  },
  webkit: {
    label: 'WebKit',
    files: [
      { env: 'WEBKIT_DRIVER_PATH', path: '/usr/bin/WebKitWebDriver' },
      {
        env: 'WEBKIT_MINIBROWSER_PATH',
        path: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      },
      // MiniBrowser has no headless mode: WebKitWebDriver runs under a virtual X server.
      { env: 'XVFB_RUN_PATH', path: '/usr/bin/xvfb-run' },
    ],
    packages: ['webkit2gtk-driver', 'xvfb', 'xauth'],
  },
};

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function version(path, args) {
  // WebKitWebDriver has no --version: ask dpkg for WebKitGTK's, where there is a dpkg.
  if (!args) {
    if (!isExecutable('/usr/bin/dpkg-query')) return 'version unknown';
    const webkit = version('/usr/bin/dpkg-query', [
      '-W',
      '-f',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's format, not a template.
      '${Version}',
      'libwebkit2gtk-4.1-0',
    ]);
    return webkit === 'version unknown' ? webkit : `WebKitGTK ${webkit}`;
  }
  try {
    return execFileSync(path, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).trim();
  } catch {
    return 'version unknown';
  }
}

/** The engines E2E_ENGINES asks for (all three when unset); exits on an unknown name. */
export function selectedEngines() {
  const raw = process.env.E2E_ENGINES;
  if (!raw) return [...ENGINES];
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !ENGINES.includes(name));
  if (unknown.length > 0 || names.length === 0)
    fail(`E2E_ENGINES="${raw}": use a comma-separated list of ${ENGINES.join(', ')}.`);
  return ENGINES.filter((name) => names.includes(name));
}

/** Where each file of `engine` is: [file, resolved path or undefined]. Exits on a bad env var. */
function locate(engine) {
  return NEEDS[engine].files.map((file) => {
    const fromEnv = process.env[file.env];
    if (fromEnv) {
      if (!isExecutable(fromEnv))
        fail(`${file.env} is set to "${fromEnv}", but no executable is there.`);
      return [file, fromEnv];
    }
    return [file, isExecutable(file.path) ? file.path : undefined];
  });
}

/**
 * Finds (or, as root on Debian, installs) every selected engine. Returns the environment the
 * browser tests need: each engine's paths, and E2E_ENGINES. Exits the process when an engine
 * is missing and cannot be installed.
 * @returns {{ engines: string[], env: Record<string, string> }}
 */
export function findBrowsers({ log = console.log, engines = selectedEngines() } = {}) {
  let missing = engines.filter((engine) => locate(engine).some(([, path]) => !path));
  if (missing.length > 0) {
    const packages = missing.flatMap((engine) => NEEDS[engine].packages);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const isDebian = existsSync('/etc/debian_version') && isExecutable('/usr/bin/apt-get');
    if (!isRoot || !isDebian) {
      const vars = missing.flatMap((engine) => NEEDS[engine].files.map((file) => file.env));
      fail(
        `No ${missing.map((engine) => NEEDS[engine].label).join(', ')} found for the browser tests.\n` +
          `  Install (Debian/Ubuntu): sudo apt-get install --no-install-recommends ${packages.join(' ')}\n` +
          `  or point ${vars.join(', ')} at the executables,\n` +
          `  or run fewer engines: E2E_ENGINES=${engines.filter((e) => !missing.includes(e)).join(',') || 'chromium'}\n` +
          '  then run npm test again.',
      );
    }
    log(
      `Browsers: ${missing.map((engine) => NEEDS[engine].label).join(', ')} missing; running as root on Debian, so installing ${packages.join(' ')} with apt-get…`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env,
    });
    missing = engines.filter((engine) => locate(engine).some(([, path]) => !path));
    if (missing.length > 0) {
      const files = missing.flatMap((engine) =>
        locate(engine)
          .filter(([, path]) => !path)
          .map(([file]) => file.path),
      );
      fail(`apt-get reported success, but ${files.join(', ')} is still missing.`);
    }
  }
  const env = { E2E_ENGINES: engines.join(',') };
  for (const engine of engines) {
    const found = locate(engine);
    for (const [file, path] of found) env[file.env] = path;
    const [main, mainPath] = found[0];
    log(`${NEEDS[engine].label}: ${mainPath} — ${version(mainPath, main.version)}`);
  }
  return { engines, env };
}

function fail(message) {
  console.error(`\nnpm test: ${message}\n`);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { env } = findBrowsers();
  for (const [name, value] of Object.entries(env)) console.log(`${name}=${value}`);
}
