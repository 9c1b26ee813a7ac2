import type { WorkerMethod } from '../../src/rpc/protocol.js';

// A Record over the union: this file stops compiling when a method is added or removed.
const METHODS: Record<WorkerMethod, true> = {
  getConfiguration: true,
  startLogin: true,
  takeLoginResult: true,
  redeemCallback: true,
  getSession: true,
  getIdTokenClaims: true,
  checkSession: true,
  getTokenSilently: true,
  logout: true,
  getDpopNonce: true,
  setDpopNonce: true,
  generateDpopProof: true,
  abandonLogin: true,
  exchangeToken: true,
  startConnect: true,
  revokeRefreshToken: true,
  mfaGetAuthenticators: true,
  mfaEnroll: true,
  mfaChallenge: true,
  mfaVerify: true,
  mfaGetEnrollmentFactors: true,
  passkeyStart: true,
  passkeyFinish: true,
  myAccountGetFactors: true,
  myAccountGetAuthenticationMethods: true,
  myAccountGetAuthenticationMethod: true,
  myAccountUpdateAuthenticationMethod: true,
  myAccountDeleteAuthenticationMethod: true,
  myAccountEnrollmentChallenge: true,
  myAccountEnrollmentVerify: true,
  anonymousCreateSession: true,
  anonymousGetTokenSilently: true,
  anonymousLogout: true,
  anonymousHasSession: true,
};

/** Every method of the worker's RPC surface, checked against the WorkerApi type at compile time. */
export const WORKER_METHODS = Object.keys(METHODS) as WorkerMethod[];
