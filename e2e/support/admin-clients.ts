import type { ClientConfig } from 'auth0-enclave-tenant';
import { API_URL, TENANT_URL } from './environment.js';

async function call<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(
    url,
    body === undefined
      ? { method }
      : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!response.ok)
    throw new Error(`${method} ${url} → HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** One entry of the tenant's request log. */
export interface TenantRequest {
  at: string;
  method: string;
  path: string;
  grantType?: string;
  dpopJti?: string;
  dpopJkt?: string;
  status: number;
  clientId?: string;
}

/** One entry of the sample API's request log. */
export interface ApiRequest {
  at: string;
  method: string;
  path: string;
  authScheme: 'DPoP' | 'Bearer' | null;
  dpopJti?: string;
  dpopJkt?: string;
  status: number;
}

/** The tenant's admin surface, over HTTP, as the tests use it. */
export const tenantAdmin = {
  reset: () => call(`${TENANT_URL}/__admin/reset`, 'POST'),
  advanceClock: (seconds: number) =>
    call<{ now: number }>(`${TENANT_URL}/__admin/clock`, 'POST', { advance: seconds }),
  requests: (path?: string) =>
    call<TenantRequest[]>(
      `${TENANT_URL}/__admin/requests${path ? `?path=${encodeURIComponent(path)}` : ''}`,
      'GET',
    ),
  refreshRequests: async () =>
    (await tenantAdmin.requests('/oauth/token')).filter(
      (entry) => entry.grantType === 'refresh_token',
    ),
  clearRequests: () => call(`${TENANT_URL}/__admin/requests`, 'DELETE'),
  endSessions: () => call(`${TENANT_URL}/__admin/sessions`, 'DELETE'),
  revokeRefreshTokens: (filter: { sub?: string; clientId?: string } = {}) =>
    call(`${TENANT_URL}/__admin/refresh-tokens/revoke`, 'POST', filter),
  tokens: () =>
    call<{
      refreshTokens: {
        familyId: string;
        sub: string;
        clientId: string;
        jkt?: string;
        status: string;
      }[];
    }>(`${TENANT_URL}/__admin/tokens`, 'GET'),
  addFault: (fault: Record<string, unknown>) =>
    call<{ id: string }>(`${TENANT_URL}/__admin/faults`, 'POST', fault),
  clearFaults: () => call(`${TENANT_URL}/__admin/faults`, 'DELETE'),
  /** Adds or replaces a client (by clientId). `reset` does not remove it: use a spec's own id. */
  upsertClient: (client: ClientConfig) => call(`${TENANT_URL}/__admin/clients`, 'POST', client),
};

/** The sample API's admin surface. */
export const apiAdmin = {
  requests: () => call<ApiRequest[]>(`${API_URL}/__admin/requests`, 'GET'),
  clearRequests: () => call(`${API_URL}/__admin/requests`, 'DELETE'),
  rotateNonce: () => call<{ nonce: string }>(`${API_URL}/__admin/dpop-nonce/rotate`, 'POST'),
};
