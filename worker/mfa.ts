import { assertObject, assertOptionalString, assertString } from '../src/core/assert.js';
import type { ClientContext } from '../src/core/context.js';
import { MfaError } from '../src/core/errors.js';
import { mfaGrant } from '../src/core/grants/mfa.js';
import { listAuthenticators } from '../src/core/mfa/authenticators.js';
import { challengeAuthenticator } from '../src/core/mfa/challenge.js';
import { enrollAuthenticator } from '../src/core/mfa/enroll.js';
import type { EnrollAuthenticatorOptions, MfaVerifyOptions } from '../src/core/mfa/types.js';
import type {
  Authenticator,
  ChallengeAuthenticatorParams,
  ChallengeResponse,
  EnrollmentFactor,
  EnrollmentResponse,
  EnrollParams,
  MfaVerifyResponse,
  VerifyParams,
} from '../src/rpc/protocol.js';
import type { WorkerDeps } from './deps.js';
import type { StepUp } from './step-ups.js';

// auth0-spa-js's `auth0.mfa`, served by the worker. The page names a step-up by the handle it got
// in `MfaRequiredError.mfa_token`; Auth0's mfa_token never leaves the worker.

/** A verify option without its mfa_token, kept per member of the union. */
type WithoutToken<T> = T extends unknown ? Omit<T, 'mfaToken'> : never;

/** auth0-spa-js's factor → the MFA API's `authenticator_types` and `oob_channels`. */
const FACTORS = {
  otp: [],
  sms: ['sms'],
  voice: ['voice'],
  email: ['email'],
  push: ['auth0'],
} as const;

/** The step-up behind the page's `handle`, or the MfaError that says why there is none. */
function stepUp(deps: WorkerDeps, handle: unknown): { handle: string; value: StepUp } {
  assertString(handle, 'mfaToken');
  return { handle, value: deps.stepUps.find(handle) };
}

/** Runs an MFA API call with Auth0's mfa_token; a server that calls it expired ends the step-up. */
async function withMfaToken<T>(
  deps: WorkerDeps,
  handle: unknown,
  call: (context: ClientContext, mfaToken: string, step: StepUp) => Promise<T>,
): Promise<T> {
  const found = stepUp(deps, handle);
  try {
    return await call(deps.session.context(), found.value.mfaToken, found.value);
  } catch (error) {
    if (error instanceof MfaError && error.error === 'expired_token') {
      deps.stepUps.delete(found.handle);
    }
    throw error;
  }
}

/**
 * The user's authenticators of the types the server asked to challenge (all of them when it
 * asked none), as auth0-spa-js's `getAuthenticators` filters them.
 */
export function mfaGetAuthenticators(deps: WorkerDeps, handle: unknown): Promise<Authenticator[]> {
  return withMfaToken(deps, handle, async (context, mfaToken, step) => {
    const list = await listAuthenticators(context, { mfaToken });
    const types = step.mfa_requirements?.challenge?.map((item) => item.type) ?? [];
    // Auth0 names the type in `type` when it sends one; otherwise `authenticator_type` is it.
    return types.length === 0
      ? list
      : list.filter((item) => types.includes(item.type ?? item.authenticatorType));
  });
}

/**
 * Starts enrolling a factor. The answer goes to the page as it is: the OTP secret, its QR code
 * URI and the recovery codes are the user's to see (and useless without the mfa_token).
 */
export function mfaEnroll(deps: WorkerDeps, params: EnrollParams): Promise<EnrollmentResponse> {
  assertObject(params, 'params');
  const factor = params.factorType;
  if (typeof factor !== 'string' || !Object.hasOwn(FACTORS, factor)) {
    throw new TypeError(
      '"params.factorType" must be one of "otp", "sms", "voice", "email", "push"',
    );
  }
  if (factor === 'sms' || factor === 'voice')
    assertString(params.phoneNumber, 'params.phoneNumber');
  if (factor === 'email') assertOptionalString(params.email, 'params.email');
  return withMfaToken(deps, params.mfaToken, (context, mfaToken) => {
    const channels = FACTORS[factor];
    const options = (
      channels.length === 0
        ? { mfaToken, authenticatorTypes: ['otp'] }
        : {
            mfaToken,
            authenticatorTypes: ['oob'],
            oobChannels: [...channels],
            ...('phoneNumber' in params ? { phoneNumber: params.phoneNumber } : {}),
            ...('email' in params && params.email !== undefined ? { email: params.email } : {}),
          }
    ) as EnrollAuthenticatorOptions;
    return enrollAuthenticator(context, options) as Promise<EnrollmentResponse>;
  });
}

/** Asks the server to challenge an authenticator (for `oob` it sends the code or the push). */
export function mfaChallenge(
  deps: WorkerDeps,
  params: ChallengeAuthenticatorParams,
): Promise<ChallengeResponse> {
  assertObject(params, 'params');
  if (params.challengeType !== 'otp' && params.challengeType !== 'oob') {
    throw new TypeError('"params.challengeType" must be "otp" or "oob"');
  }
  assertOptionalString(params.authenticatorId, 'params.authenticatorId');
  return withMfaToken(deps, params.mfaToken, (context, mfaToken) =>
    challengeAuthenticator(context, {
      mfaToken,
      challengeType: params.challengeType,
      authenticatorId: params.authenticatorId,
    }),
  );
}

/**
 * The MFA grant, factor inferred as auth0-spa-js does (`otp`, else `oobCode`, else
 * `recoveryCode`). Its tokens join the session for the audience and scope that asked for the
 * step-up, DPoP-bound like every other token of the session; the page gets a summary. A wrong
 * code leaves the step-up open for another try; success ends it.
 */
export async function mfaVerify(
  deps: WorkerDeps,
  params: VerifyParams,
): Promise<MfaVerifyResponse> {
  assertObject(params, 'params');
  for (const name of ['otp', 'oobCode', 'bindingCode', 'recoveryCode'] as const) {
    assertOptionalString(params[name], `params.${name}`);
  }
  const options: WithoutToken<MfaVerifyOptions> | undefined = params.otp
    ? { factorType: 'otp', otp: params.otp }
    : params.oobCode
      ? { factorType: 'oob', oobCode: params.oobCode, bindingCode: params.bindingCode }
      : params.recoveryCode
        ? { factorType: 'recovery-code', recoveryCode: params.recoveryCode }
        : undefined;
  if (!options) {
    throw new TypeError('one of "params.otp", "params.oobCode", "params.recoveryCode" is required');
  }
  // A step-up continues the session: it signs with the session's key (session.context()).
  await deps.session.load();
  let step: StepUp | undefined;
  const tokens = await withMfaToken(deps, params.mfaToken, (context, mfaToken, found) => {
    step = found;
    return mfaGrant(context, { ...options, mfaToken });
  });
  // The mfa_token is spent: the step-up is over, whatever joining the session says.
  deps.stepUps.delete(params.mfaToken as string);
  const { audience, scope, generation } = step as StepUp;
  const token = await deps.session.join({ audience, scope }, tokens, generation);
  const result: MfaVerifyResponse = {
    token_type: token.tokenType,
    expires_in: Math.max(0, token.expiresAt - Math.floor(deps.now() / 1000)),
    scope: token.scope,
  };
  if (tokens.recoveryCode) result.recovery_code = tokens.recoveryCode;
  if (deps.config.exposeAccessTokens) result.access_token = token.accessToken;
  return result;
}

/** The factors the user may enroll (`mfa_requirements.enroll`); empty when a challenge is due. */
export function mfaGetEnrollmentFactors(deps: WorkerDeps, handle: unknown): EnrollmentFactor[] {
  return (stepUp(deps, handle).value.mfa_requirements?.enroll ?? []).map((item) => ({
    type: item.type,
  }));
}
