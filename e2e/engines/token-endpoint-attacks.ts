import { tenantAdmin } from '../support/admin-clients.js';
import { TENANT_URL } from '../support/environment.js';
import { dumpStorage, vaultStore } from '../support/storage.js';
import { loginAt } from './app.js';
import type { Tab } from './driver.js';
import { expect } from './fixtures.js';

// THREATS 7 from page script, in every engine: X reads the stored refresh token (and key) and
// sends them to the authorization server's endpoints itself. Shared by the attacks run under the
// recommended page CSP (page-csp.spec.ts) and without it (attacks.spec.ts).

/** One `securitypolicyviolation` event the page saw while an attack ran. */
export interface Violation {
  directive: string;
  /** The blocked URL's origin (engines differ in how much of the URL they report). */
  blockedOrigin: string;
}

/** What page script got back per request, and the CSP violations reported meanwhile. */
export interface AttackOutcome {
  results: Record<string, unknown>;
  violations: Violation[];
}

/** Logs in at `origin`; returns the DPoP-bound refresh token X reads from IndexedDB. */
export async function loginAndSteal(tab: Tab, origin: string): Promise<string> {
  await loginAt(tab, origin);
  const dump = await tab.evaluate(dumpStorage, undefined);
  const stored = vaultStore(dump, 'session')[0]?.value as {
    refreshTokens: Record<string, { token: string }>;
  };
  const stolen = Object.values(stored.refreshTokens)[0]?.token as string;
  expect(stolen).toBeTruthy();
  await tenantAdmin.clearRequests();
  return stolen;
}

export const TOKEN_ENDPOINT_SPELLINGS = [
  '/oauth/token',
  '/oauth/token/',
  '/OAUTH/TOKEN',
  '/oauth/./token',
  '/oauth/x/../token',
  '/oauth/%74oken',
  '/%6Fauth/token',
  '/oauth//token',
  '//oauth/token',
  '/oauth%2Ftoken',
  '/oauth/token;jsessionid=1',
  '/oauth/token?grant_type=refresh_token',
  '/oauth/revoke',
  '/OAuth/Revoke',
  '/oauth/par',
  '/oauth/%70ar',
];

/**
 * Sends the stolen refresh token to every spelling of the tenant's endpoints from page script:
 * `ordinary` = fetch (POST, GET, with a DPoP header, no-cors), XHR and a dedicated worker;
 * `keepalive` = keepalive fetches and beacons. Beacons report whether they were queued.
 */
export function sweep(
  tab: Tab,
  kinds: 'ordinary' | 'keepalive',
  attack: { stolen: string; clientId: string },
): Promise<AttackOutcome> {
  return tab.evaluate(
    async ({ tenant, spellings, stolen, clientId, kinds }) => {
      const violations: { directive: string; blockedOrigin: string }[] = [];
      const onViolation = (event: SecurityPolicyViolationEvent) => {
        let blockedOrigin = event.blockedURI;
        try {
          blockedOrigin = new URL(event.blockedURI).origin;
        } catch {}
        violations.push({ directive: event.effectiveDirective, blockedOrigin });
      };
      document.addEventListener('securitypolicyviolation', onViolation);
      const results: Record<string, unknown> = {};
      const body = () =>
        new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: stolen,
          client_id: clientId,
          token: stolen,
        });
      const settle = async (key: string, request: () => Promise<Response>) => {
        try {
          const response = await request();
          results[key] = response.type === 'opaque' ? 'opaque' : response.status;
        } catch (error) {
          results[key] = (error as Error).name;
        }
      };
      const xhr = (url: string) =>
        new Promise<number | string>((resolve) => {
          const request = new XMLHttpRequest();
          request.open('POST', url);
          request.onload = () => resolve(request.status);
          request.onerror = () => resolve('error');
          request.send(body());
        });
      for (const spelling of spellings) {
        const url = `${tenant}${spelling}`;
        if (kinds === 'keepalive') {
          await settle(`keepalive ${spelling}`, () =>
            fetch(url, { method: 'POST', body: body(), keepalive: true }),
          );
          try {
            results[`beacon form ${spelling}`] = navigator.sendBeacon(url, body());
          } catch (error) {
            results[`beacon form ${spelling}`] = (error as Error).name;
          }
          continue;
        }
        await settle(`fetch POST ${spelling}`, () => fetch(url, { method: 'POST', body: body() }));
        await settle(`fetch GET ${spelling}`, () => fetch(url));
        await settle(`fetch DPoP ${spelling}`, () =>
          fetch(url, { method: 'POST', body: body(), headers: { dpop: 'attacker.proof.jwt' } }),
        );
        await settle(`no-cors ${spelling}`, () =>
          fetch(url, { method: 'POST', body: body(), mode: 'no-cors' }),
        );
        results[`xhr POST ${spelling}`] = await xhr(url);
      }
      if (kinds === 'ordinary') {
        // A dedicated worker the page starts is controlled by the same service worker (the
        // page's CSP may refuse a blob: worker outright: then it cannot try at all).
        const source = `fetch(${JSON.stringify(`${tenant}/oauth/token`)}, { method: 'POST', body: 'grant_type=refresh_token' }).then((r) => postMessage(r.status), (e) => postMessage(e.name));`;
        try {
          const worker = new Worker(
            URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
          );
          results['dedicated worker'] = await new Promise((resolve) => {
            worker.onmessage = (event) => resolve(event.data);
            worker.onerror = () => resolve('error');
          });
          worker.terminate();
        } catch {
          results['dedicated worker'] = 'error';
        }
      }
      // Beacons go out after the call returns, and violation reports are queued as tasks.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      document.removeEventListener('securitypolicyviolation', onViolation);
      return { results, violations };
    },
    {
      tenant: TENANT_URL,
      spellings: TOKEN_ENDPOINT_SPELLINGS,
      stolen: attack.stolen,
      clientId: attack.clientId,
      kinds,
    },
  );
}

/**
 * X signs its own DPoP proof with the key read from IndexedDB (using a non-extractable key is
 * allowed; exporting it is not) and redeems the stored refresh token at the token endpoint,
 * with a plain and a keepalive fetch, nonce retry included. Each result is the transport and
 * either the status (and `TOKENS` when tokens came back — never the tokens themselves) or the
 * error's name.
 */
export function redeemWithOwnProof(tab: Tab, clientId: string): Promise<AttackOutcome> {
  return tab.evaluate(
    async ({ tenant, clientId }) => {
      const violations: { directive: string; blockedOrigin: string }[] = [];
      const onViolation = (event: SecurityPolicyViolationEvent) => {
        let blockedOrigin = event.blockedURI;
        try {
          blockedOrigin = new URL(event.blockedURI).origin;
        } catch {}
        violations.push({ directive: event.effectiveDirective, blockedOrigin });
      };
      document.addEventListener('securitypolicyviolation', onViolation);
      const request = <T>(req: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      const db = await request(indexedDB.open('auth0-enclave') as IDBRequest<IDBDatabase>);
      const all = (store: string) => request(db.transaction(store).objectStore(store).getAll());
      const [keys] = (await all('keys')) as { privateKey: CryptoKey; publicKey: CryptoKey }[];
      const [stored] = (await all('session')) as {
        refreshTokens: Record<string, { token: string }>;
      }[];
      db.close();
      if (!keys || !stored) return { results: { stored: 'nothing' }, violations };
      const refreshToken = Object.values(stored.refreshTokens)[0]?.token ?? '';
      const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
      const b64url = (bytes: ArrayBuffer | Uint8Array) =>
        btoa(String.fromCharCode(...new Uint8Array(bytes)))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '');
      const part = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
      const proof = async (nonce: string | null) => {
        const input = `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } })}.${part({ htm: 'POST', htu: `${tenant}/oauth/token`, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ...(nonce ? { nonce } : {}) })}`;
        const signature = await crypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          keys.privateKey,
          new TextEncoder().encode(input),
        );
        return `${input}.${b64url(signature)}`;
      };
      const results: Record<string, unknown> = {};
      for (const keepalive of [false, true]) {
        const transport = keepalive ? 'keepalive' : 'fetch';
        let nonce: string | null = null;
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            const response: Response = await fetch(`${tenant}/oauth/token`, {
              method: 'POST',
              keepalive,
              headers: { dpop: await proof(nonce) },
              body: new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: refreshToken,
                client_id: clientId,
              }),
            });
            const text = await response.text();
            nonce = response.headers.get('dpop-nonce') ?? nonce;
            results[transport] =
              `${response.status}${text.includes('access_token') ? ' TOKENS' : ''}`;
            if (response.status !== 400) break;
          } catch (error) {
            results[transport] = (error as Error).name;
            break;
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      document.removeEventListener('securitypolicyviolation', onViolation);
      return { results, violations };
    },
    { tenant: TENANT_URL, clientId },
  );
}
