import type { WorkerMethod } from '../src/rpc/protocol.js';

/**
 * The worker's RPC surface: what a connection exposes (connections.ts), every method whether or
 * not its feature is installed (features.ts answers those of an absent one).
 */
export const METHODS: readonly WorkerMethod[] = [
  'getConfiguration',
  'startLogin',
  'takeLoginResult',
  'redeemCallback',
  'getSession',
  'getIdTokenClaims',
  'checkSession',
  'getTokenSilently',
  'logout',
  'getDpopNonce',
  'setDpopNonce',
  'generateDpopProof',
  'abandonLogin',
  'exchangeToken',
  'startConnect',
  'revokeRefreshToken',
  'mfaGetAuthenticators',
  'mfaEnroll',
  'mfaChallenge',
  'mfaVerify',
  'mfaGetEnrollmentFactors',
  'passkeyStart',
  'passkeyFinish',
  'myAccountGetFactors',
  'myAccountGetAuthenticationMethods',
  'myAccountGetAuthenticationMethod',
  'myAccountUpdateAuthenticationMethod',
  'myAccountDeleteAuthenticationMethod',
  'myAccountEnrollmentChallenge',
  'myAccountEnrollmentVerify',
  'anonymousCreateSession',
  'anonymousGetTokenSilently',
  'anonymousLogout',
  'anonymousHasSession',
];
