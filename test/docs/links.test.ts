import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAppServer } from '../../dev/app/server.js';

// The documentation a user navigates: the README links every page of docs/, no relative link
// in it leads nowhere, and the sample app's "?" links reach their pages over `npm start`'s server.
const repo = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');
const pages = readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md'));
const documents = [
  'README.md',
  'CHANGELOG.md',
  'SECURITY.md',
  'dev/tenant/README.md',
  ...pages.map((page) => `docs/${page}`),
];

/** Relative markdown link targets of a document, without their #fragment. */
function relativeLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  return targets
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => target.replace(/#.*$/, ''));
}

describe('the documentation', () => {
  test('has the pages the README promises', () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
    const readme = read('README.md');
    for (const page of pages) {
      // docs/migration.md only points to MIGRATING.md (the table of record), which the README links.
      const link = page === 'migration.md' ? '(MIGRATING.md' : `(docs/${page}`;
      expect(readme, `README links ${link.slice(1)}`).toContain(link);
    }
  });

  test.each(documents)('%s has no relative link that leads nowhere', (document) => {
    const broken = relativeLinks(read(document)).filter(
      (target) => !existsSync(join(repo, dirname(document), target)),
    );
    expect(broken).toEqual([]);
  });

  test('the README still says what a service worker cannot defend', () => {
    const readme = read('README.md');
    expect(readme).toContain('## What a service worker cannot defend');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toContain('**Which package to install.**');
  });

  test('both packages carry a LICENSE', () => {
    for (const dir of ['', 'dev/tenant/'])
      expect(read(`${dir}LICENSE`)).toMatch(
        /^MIT License\n\nCopyright \(c\) 2026 auth0-enclave contributors/,
      );
  });
});

describe("the sample app's links to the docs", () => {
  let server: { url: string; close(): Promise<void> };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-docs-'));
    server = await startAppServer({
      dir,
      port: 0,
      tenantOrigin: 'http://localhost:4000',
      apiOrigins: [],
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const hrefs = [...read('dev/app/index.html').matchAll(/href="(\/docs\/[^"]+)"/g)].map(
    (match) => match[1] ?? '',
  );

  test('every section links a page', () => {
    expect(hrefs.length).toBeGreaterThanOrEqual(4);
  });

  test.each(hrefs)('%s is served as plain text', async (href) => {
    const response = await fetch(new URL(href, server.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await response.text()).toBe(read(href.slice(1)));
  });

  test.each([
    '/docs/missing.md',
    '/docs/%2e%2e/package.json',
    '/docs/../README.md',
    '/docs/tooling/package.json',
  ])('%s is not served from the repository', async (path) => {
    const response = await fetch(new URL(path, server.url));
    expect(response.status).toBe(404);
  });
});
