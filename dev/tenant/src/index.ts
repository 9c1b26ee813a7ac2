/**
 * `auth0-enclave-tenant`: a local Auth0-compatible authorization server for development,
 * tests and demos. What a resource server needs (DPoP and token checks) is in
 * `auth0-enclave-tenant/resource-server`; helpers for driving the tenant from Node tests are in
 * `auth0-enclave-tenant/testing`.
 *
 * @example
 * ```ts
 * import { startTenant } from 'auth0-enclave-tenant';
 * const { issuer, close } = await startTenant({ port: 0 });
 * ```
 *
 * @packageDocumentation
 * @module auth0-enclave-tenant
 */

export type {
  ClockChange,
  ConnectedAccountSnapshot,
  TenantAdmin,
  TokenSnapshot,
} from './admin.js';
export { createTenantClock, type TenantClock } from './clock.js';
export type {
  ApiConfig,
  ClientConfig,
  DpopMode,
  OrganizationConfig,
  TenantOptions,
  TokenEndpointAuthMethod,
  UserConfig,
} from './config.js';
export type { ConnectedAccountConfig, ConnectionConfig } from './connection-config.js';
export type { ConnectedAccountInput } from './connections.js';
export {
  type DefaultTenantOptions,
  type DefaultTenantOptionsInput,
  defaultTenantOptions,
  MY_ACCOUNT_API_IDENTIFIER,
  SAMPLE_API_AUDIENCE,
  SAMPLE_SUBJECT_TOKEN,
  SAMPLE_SUBJECT_TOKEN_TYPE,
  STEP_UP_API_AUDIENCE,
} from './defaults.js';
export type { FaultConfig } from './faults.js';
export {
  type ListenOptions,
  listen,
  type RunningServer,
  type TlsCredentials,
} from './listen.js';
export type { MfaAdmin, MfaAuthenticatorInput, OobDecision } from './mfa/admin.js';
export type { OobChannel, OutboxMessage } from './mfa/state.js';
export type { RequestLogEntry } from './request-log.js';
export {
  createTenant,
  DEFAULT_TENANT_PORT,
  type StartedTenant,
  startTenant,
  type Tenant,
} from './tenant.js';
export type {
  TokenExchangeProfileConfig,
  TokenExchangeSubject,
  TokenExchangeValidationContext,
} from './token-exchange-profile-config.js';
