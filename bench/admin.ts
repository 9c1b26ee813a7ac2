// The tenant's and the sample API's admin surfaces over HTTP, as the bench uses them.
import type { ClientConfig, RequestLogEntry } from 'auth0-enclave-tenant';
import { API_URL, TENANT_URL } from './config.js';

async function call<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(
    url,
    body === undefined
      ? { method }
      : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!response.ok) {
    throw new Error(`${method} ${url} → HTTP ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export interface RefreshTokenSnapshot {
  familyId: string;
  clientId: string;
  status: 'active' | 'rotated' | 'revoked';
}

export interface ApiRequestEntry {
  method: string;
  path: string;
  status: number;
  authScheme: 'DPoP' | 'Bearer' | null;
}

export const tenantAdmin = {
  /** Drops tokens, sessions, the request log and the clock offset; clients and users stay. */
  reset: () => call(`${TENANT_URL}/__admin/reset`, 'POST', {}),
  upsertClient: (client: ClientConfig) => call(`${TENANT_URL}/__admin/clients`, 'POST', client),
  advanceClock: (seconds: number) =>
    call<{ now: number }>(`${TENANT_URL}/__admin/clock`, 'POST', { advance: seconds }),
  tokenRequests: () =>
    call<RequestLogEntry[]>(`${TENANT_URL}/__admin/requests?path=/oauth/token`, 'GET'),
  clearRequests: () => call(`${TENANT_URL}/__admin/requests`, 'DELETE'),
  refreshTokens: async () =>
    (await call<{ refreshTokens: RefreshTokenSnapshot[] }>(`${TENANT_URL}/__admin/tokens`, 'GET'))
      .refreshTokens,
};

export const apiAdmin = {
  requests: () => call<ApiRequestEntry[]>(`${API_URL}/__admin/requests`, 'GET'),
  clearRequests: () => call(`${API_URL}/__admin/requests`, 'DELETE'),
};

/** The refresh-token grants one client sent since the log was last cleared. */
export async function refreshRequests(clientId: string): Promise<RequestLogEntry[]> {
  return (await tenantAdmin.tokenRequests()).filter(
    (entry) => entry.grantType === 'refresh_token' && entry.clientId === clientId,
  );
}

/** Refresh-token families of one client revoked so far (reuse detection, logout). */
export async function revokedFamilies(clientId: string): Promise<Set<string>> {
  return new Set(
    (await tenantAdmin.refreshTokens())
      .filter((token) => token.clientId === clientId && token.status === 'revoked')
      .map((token) => token.familyId),
  );
}

/** Refresh-token families of one client that are not revoked. */
export async function liveFamilies(clientId: string): Promise<Set<string>> {
  const tokens = (await tenantAdmin.refreshTokens()).filter((token) => token.clientId === clientId);
  const revoked = new Set(
    tokens.filter((token) => token.status === 'revoked').map((token) => token.familyId),
  );
  return new Set(tokens.map((token) => token.familyId).filter((family) => !revoked.has(family)));
}
