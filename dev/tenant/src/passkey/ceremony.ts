import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { ResolvedSettings } from '../config.js';
import { randomToken } from '../random-token.js';
import type { PasskeyProfile, PasskeySession, StoredPasskey } from './state.js';

/** How long a ceremony may take (the browser's `timeout`), in milliseconds. */
export const PASSKEY_TIMEOUT_MS = 60_000;
/** How long an `auth_session` can be redeemed: the browser timeout plus slack for the grant. */
export const AUTH_SESSION_LIFETIME_SECONDS = 300;
/** ES256, RS256, EdDSA: what WIRE.md lists and every platform authenticator supports. */
const ALGORITHMS = [-7, -257, -8];

/** The `authn_params_public_key` of `/passkey/register` (WIRE.md). */
export interface CreationOptionsBody {
  challenge: string;
  timeout: number;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  authenticatorSelection: { residentKey: 'required'; userVerification: 'preferred' };
}

/** The `authn_params_public_key` of `/passkey/challenge` (WIRE.md). */
export interface RequestOptionsBody {
  challenge: string;
  timeout: number;
  rpId: string;
  userVerification: 'preferred';
}

/** Starts a signup ceremony: a new WebAuthn user handle and a challenge. */
export async function startRegistration(
  settings: ResolvedSettings,
  input: { clientId: string; profile: PasskeyProfile; now: number },
): Promise<{ session: PasskeySession; options: CreationOptionsBody }> {
  const generated = await generateRegistrationOptions({
    rpName: settings.passkeyRpName,
    rpID: settings.passkeyRpId,
    userName: input.profile.email,
    userDisplayName: input.profile.name ?? input.profile.email,
    timeout: PASSKEY_TIMEOUT_MS,
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  const session: PasskeySession = {
    id: randomToken(),
    kind: 'register',
    clientId: input.clientId,
    challenge: generated.challenge,
    expiresAt: input.now + AUTH_SESSION_LIFETIME_SECONDS,
    profile: input.profile,
    webauthnUserId: generated.user.id,
  };
  return {
    session,
    options: {
      challenge: generated.challenge,
      timeout: PASSKEY_TIMEOUT_MS,
      rp: { id: settings.passkeyRpId, name: settings.passkeyRpName },
      user: {
        id: generated.user.id,
        name: generated.user.name,
        displayName: generated.user.displayName,
      },
      pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: 'public-key', alg })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    },
  };
}

/** Starts a login ceremony for a discoverable credential (no allow-list: the user picks). */
export async function startLogin(
  settings: ResolvedSettings,
  input: { clientId: string; now: number },
): Promise<{ session: PasskeySession; options: RequestOptionsBody }> {
  const generated = await generateAuthenticationOptions({
    rpID: settings.passkeyRpId,
    userVerification: 'preferred',
    timeout: PASSKEY_TIMEOUT_MS,
  });
  return {
    session: {
      id: randomToken(),
      kind: 'login',
      clientId: input.clientId,
      challenge: generated.challenge,
      expiresAt: input.now + AUTH_SESSION_LIFETIME_SECONDS,
    },
    options: {
      challenge: generated.challenge,
      timeout: PASSKEY_TIMEOUT_MS,
      rpId: settings.passkeyRpId,
      userVerification: 'preferred',
    },
  };
}

/** What a ceremony is checked against: the session's challenge, the client's origins, the RP ID. */
export interface CeremonyExpectations {
  challenge: string;
  origins: string[];
  rpId: string;
}

/** Why a WebAuthn response was refused (the message says which check failed). */
export class PasskeyVerificationError extends Error {
  override readonly name = 'PasskeyVerificationError';
}

function refused(cause: unknown): PasskeyVerificationError {
  return new PasskeyVerificationError(
    cause instanceof Error ? cause.message : 'verification failed',
  );
}

/**
 * Verifies a registration (attestation) with @simplewebauthn/server: type `webauthn.create`, the
 * challenge, an allowed origin, the RP ID hash, user presence and the attestation (`none` and
 * the other formats the library knows). User verification is preferred, not required.
 */
export async function verifyRegistration(
  response: unknown,
  expected: CeremonyExpectations,
): Promise<Omit<StoredPasskey, 'userId' | 'webauthnUserId'>> {
  let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: expected.challenge,
      expectedOrigin: expected.origins,
      expectedRPID: expected.rpId,
      requireUserVerification: false,
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (cause) {
    throw refused(cause);
  }
  if (!result.verified) throw new PasskeyVerificationError('the attestation did not verify');
  const { credential } = result.registrationInfo;
  const stored: Omit<StoredPasskey, 'userId' | 'webauthnUserId'> = {
    id: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
  };
  if (credential.transports) stored.transports = [...credential.transports];
  return stored;
}

/**
 * Verifies a login (assertion) against a stored passkey: type `webauthn.get`, the challenge, an
 * allowed origin, the RP ID hash, user presence, the signature, and a signature counter that
 * moved forward (when the authenticator keeps one). Returns the new counter.
 */
export async function verifyLogin(
  response: unknown,
  expected: CeremonyExpectations,
  passkey: StoredPasskey,
): Promise<number> {
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: expected.challenge,
      expectedOrigin: expected.origins,
      expectedRPID: expected.rpId,
      credential: {
        id: passkey.id,
        publicKey: passkey.publicKey,
        counter: passkey.counter,
        ...(passkey.transports ? { transports: passkey.transports } : {}),
      },
      requireUserVerification: false,
    });
  } catch (cause) {
    throw refused(cause);
  }
  if (!result.verified) throw new PasskeyVerificationError('the signature did not verify');
  return result.authenticationInfo.newCounter;
}
