import { type ApiRequest, apiAdmin } from './admin-clients.js';
import { API_URL } from './environment.js';

/** A probe URL of the sample API: it answers 404 and logs the request with its credentials. */
export const probe = (label: string): string => `${API_URL}/api/probe/${label}`;

/**
 * The API's log entries per probe label, once every label has arrived (or the time is up), and
 * a moment more: a request the worker sent itself arrives after its CORS preflight.
 */
export async function probeArrivals(labels: string[]): Promise<Map<string, ApiRequest[]>> {
  const read = async () => {
    const byLabel = new Map<string, ApiRequest[]>();
    for (const entry of await apiAdmin.requests()) {
      // CORS preflights carry no credentials by definition: not what is being measured.
      if (entry.method === 'OPTIONS') continue;
      // The last segment of a probe path names the label, however the path before it was
      // spelled (`/api/..%2Fprobe/x` is logged as written).
      const label = /probe\/[^/]+$/.test(entry.path) ? (entry.path.split('/').pop() ?? '') : '';
      if (label) byLabel.set(label, [...(byLabel.get(label) ?? []), entry]);
    }
    return byLabel;
  };
  for (let attempt = 0; attempt < 40; attempt++) {
    const seen = await read();
    if (labels.every((label) => seen.has(label))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 750));
  return read();
}

/** The entries that carried an Authorization header or a DPoP proof. */
export function credentialed(entries: ApiRequest[] | undefined): ApiRequest[] {
  return (entries ?? []).filter((entry) => entry.authScheme !== null || entry.dpopJti);
}
