import { readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The browser tests bind fixed ports. Two runs on one machine (two terminals, two engineers'
// agents) would collide, so a run takes this lock first and the second one waits its turn.
// A lock left by a run that died is detected by its PID and taken over.
const LOCK = join(tmpdir(), 'auth0-enclave-e2e.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for (up to `timeoutMs`) and takes the machine-wide e2e lock; returns its release. */
export async function acquireRunLock(timeoutMs = 15 * 60_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      await writeFile(LOCK, String(process.pid), { flag: 'wx' });
      return async () => {
        await unlink(LOCK).catch(() => {});
      };
    } catch {
      const owner = Number(await readFile(LOCK, 'utf8').catch(() => ''));
      if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
        await unlink(LOCK).catch(() => {});
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`another browser-test run (pid ${owner}) holds ${LOCK}`);
      if (!announced) {
        console.warn(`Waiting for another browser-test run (pid ${owner}) to finish…`);
        announced = true;
      }
      await sleep(1000);
    }
  }
}
