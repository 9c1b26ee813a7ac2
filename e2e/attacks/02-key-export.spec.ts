import { type Recorder, startRecorder } from '../support/attacker.js';
import { API_URL } from '../support/environment.js';
import { callApi, expect, login, test } from '../support/fixtures.js';

// THREATS 2 — X finds the DPoP key pair in IndexedDB and tries to take the private key away:
// export it in every format, wrap it with a key of its own, or structured-clone it into a page of
// another origin that it controls.

test('THREATS 2: exportKey (jwk, pkcs8, raw, spki) and wrapKey on the stored private key fail in the page; so do copies of it', async ({
  page,
}) => {
  await login(page, 'dpop');
  const outcome = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('auth0-enclave');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const keys = await new Promise<CryptoKeyPair>((resolve, reject) => {
      const get = db.transaction('keys').objectStore('keys').get('dpop');
      get.onsuccess = () => resolve(get.result as CryptoKeyPair);
      get.onerror = () => reject(get.error);
    });
    db.close();
    const attempt = async (action: () => Promise<unknown>) => {
      try {
        await action();
        return 'succeeded';
      } catch (error) {
        return (error as DOMException).name;
      }
    };
    const exportAll = (key: CryptoKey) =>
      Promise.all(
        (['jwk', 'pkcs8', 'raw', 'spki'] as const).map((format) =>
          attempt(() => crypto.subtle.exportKey(format as 'jwk', key)),
        ),
      );
    const wrapping = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, [
      'wrapKey',
    ]);
    const kw = await crypto.subtle.generateKey({ name: 'AES-KW', length: 256 }, true, ['wrapKey']);
    // A copy made by structured cloning, and one stored in and read back from a database of
    // the attacker's own: the flag travels with the key.
    const clone = structuredClone(keys.privateKey);
    const copy = await new Promise<CryptoKey>((resolve, reject) => {
      const open = indexedDB.open('attacker-copy');
      open.onupgradeneeded = () => open.result.createObjectStore('loot');
      open.onsuccess = () => {
        const tx = open.result.transaction('loot', 'readwrite');
        tx.objectStore('loot').put(keys.privateKey, 'key');
        const get = tx.objectStore('loot').get('key');
        get.onsuccess = () => resolve(get.result as CryptoKey);
        get.onerror = () => reject(get.error);
        tx.oncomplete = () => {
          open.result.close();
          indexedDB.deleteDatabase('attacker-copy');
        };
      };
      open.onerror = () => reject(open.error);
    });
    return {
      extractable: keys.privateKey.extractable,
      usages: keys.privateKey.usages,
      exports: await exportAll(keys.privateKey),
      wrapGcm: await attempt(() =>
        crypto.subtle.wrapKey('jwk', keys.privateKey, wrapping, {
          name: 'AES-GCM',
          iv: new Uint8Array(12),
        }),
      ),
      wrapPkcs8: await attempt(() =>
        crypto.subtle.wrapKey('pkcs8', keys.privateKey, kw, { name: 'AES-KW' }),
      ),
      clone: { extractable: clone.extractable, exports: await exportAll(clone) },
      copy: { extractable: copy.extractable, exports: await exportAll(copy) },
      // The public key is public: exporting it is fine and expected.
      publicKey: await attempt(() => crypto.subtle.exportKey('jwk', keys.publicKey)),
    };
  });
  const refused = [
    'InvalidAccessError',
    'InvalidAccessError',
    'InvalidAccessError',
    'InvalidAccessError',
  ];
  expect(outcome).toEqual({
    extractable: false,
    usages: ['sign'],
    exports: refused,
    wrapGcm: 'InvalidAccessError',
    wrapPkcs8: 'InvalidAccessError',
    clone: { extractable: false, exports: refused },
    copy: { extractable: false, exports: refused },
    publicKey: 'succeeded',
  });
  // The attempts changed nothing for the app.
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test.describe('into another origin', () => {
  // The app's CSP allows framing only the tenant; an attacker page on another origin is framed
  // here with the CSP bypassed (a popup needs no bypass and is tried too).
  test.use({ bypassCSP: true });
  let recorder: Recorder;
  test.beforeAll(async () => {
    recorder = await startRecorder();
  });
  test.afterAll(async () => {
    await recorder.close();
  });

  test('THREATS 2: a CryptoKey posted to a frame or popup of another origin arrives, as Chromium clones it, still non-extractable there', async ({
    page,
    context,
  }) => {
    await login(page, 'dpop');
    const sameSite = `${recorder.origin}/page`;
    const crossSite = `${recorder.origin.replace('localhost', '127.0.0.1')}/page`;
    const popupPromise = context.waitForEvent('page');
    const posted = await page.evaluate(
      async ({ sameSite, crossSite }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('auth0-enclave');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const keys = await new Promise<CryptoKeyPair>((resolve, reject) => {
          const get = db.transaction('keys').objectStore('keys').get('dpop');
          get.onsuccess = () => resolve(get.result as CryptoKeyPair);
          get.onerror = () => reject(get.error);
        });
        const frame = document.createElement('iframe');
        frame.src = sameSite;
        const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
        document.body.append(frame);
        await loaded;
        const popup = window.open(crossSite);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const post = (target: Window | null | undefined) => {
          try {
            target?.postMessage({ key: keys.privateKey }, '*');
            target?.postMessage(keys, '*');
            return 'posted';
          } catch (error) {
            return (error as DOMException).name;
          }
        };
        return { frame: post(frame.contentWindow), popup: post(popup) };
      },
      { sameSite, crossSite },
    );
    // Measured: Chromium clones a CryptoKey into another origin's realm (WebCrypto keys are
    // [Serializable]); no DataCloneError, same-site or cross-site.
    expect(posted).toEqual({ frame: 'posted', popup: 'posted' });
    const popup = await popupPromise;
    const frame = page.frames().find((candidate) => candidate.url() === sameSite);
    expect(frame).toBeDefined();
    for (const realm of [frame, popup]) {
      const received = await realm?.evaluate(async () => {
        const messages = window.received;
        const keys = messages.flatMap((message) =>
          Object.values(message as Record<string, unknown>),
        ) as CryptoKey[];
        const describe = async (key: CryptoKey) => {
          const exports: string[] = [];
          for (const format of ['jwk', 'pkcs8'] as const) {
            try {
              await crypto.subtle.exportKey(format as 'jwk', key);
              exports.push('exported');
            } catch (error) {
              exports.push((error as DOMException).name);
            }
          }
          return { type: key.type, extractable: key.extractable, exports };
        };
        return Promise.all(
          keys.filter((key) => key instanceof CryptoKey && key.type === 'private').map(describe),
        );
      });
      // It arrives as the same non-extractable key: the other origin can use it to sign while
      // its page is open (as X can in place), but can never export it — it does not leave the
      // browser. README, "Cannot be defended".
      expect(received).toEqual([
        {
          type: 'private',
          extractable: false,
          exports: ['InvalidAccessError', 'InvalidAccessError'],
        },
        {
          type: 'private',
          extractable: false,
          exports: ['InvalidAccessError', 'InvalidAccessError'],
        },
      ]);
    }
    // Nothing the attacker pages did reached the recorder but the two page loads (and a favicon).
    expect(recorder.requests().filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect(recorder.credentialed()).toEqual([]);
  });
});
