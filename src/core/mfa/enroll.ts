import type { ClientContext } from '../context.js';
import { MfaEnrollmentError, ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { mfaRequest } from './mfa-request.js';
import type {
  EnrollAuthenticatorOptions,
  EnrollmentResponse,
  OobChannel,
  OobEnrollmentResponse,
} from './types.js';

const WHAT = 'Enroll MFA authenticator';

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? [...value]
    : undefined;
}

/**
 * `POST /mfa/associate`: starts enrolling an authenticator. An OTP enrollment answers the TOTP
 * secret and its `otpauth://` URI; an out-of-band one an `oobCode` (and, for SMS, voice and
 * email, `bindingMethod: 'prompt'`: a code was sent). Confirm either with the MFA grant
 * ({@link mfaGrant}). `recoveryCodes` come with the user's first enrollment only.
 *
 * @example
 * ```ts
 * import { enrollAuthenticator } from 'auth0-enclave/core';
 *
 * const otp = await enrollAuthenticator(context, { mfaToken, authenticatorTypes: ['otp'] });
 * if (otp.authenticatorType === 'otp') showQrCode(otp.barcodeUri, otp.secret);
 * ```
 */
export async function enrollAuthenticator(
  context: ClientContext,
  options: EnrollAuthenticatorOptions,
): Promise<EnrollmentResponse> {
  const body: Record<string, unknown> = { authenticator_types: options.authenticatorTypes };
  if ('oobChannels' in options) body.oob_channels = options.oobChannels;
  if ('phoneNumber' in options && options.phoneNumber) body.phone_number = options.phoneNumber;
  if ('email' in options && options.email) body.email = options.email;
  const response = await mfaRequest(
    context,
    {
      method: 'POST',
      url: 'mfa/associate',
      bearer: options.mfaToken,
      body,
      signal: options.signal,
      what: WHAT,
    },
    MfaEnrollmentError,
  );
  const raw = parseJsonObject(response, WHAT);
  const recoveryCodes = stringList(raw.recovery_codes);
  const id = typeof raw.id === 'string' ? raw.id : undefined;
  if (raw.authenticator_type === 'otp') {
    if (typeof raw.secret !== 'string' || typeof raw.barcode_uri !== 'string') {
      throw new ResponseError({ message: `${WHAT}: "secret" or "barcode_uri" is missing.` });
    }
    return {
      authenticatorType: 'otp',
      secret: raw.secret,
      barcodeUri: raw.barcode_uri,
      ...(recoveryCodes ? { recoveryCodes } : {}),
      ...(id ? { id } : {}),
    };
  }
  if (raw.authenticator_type === 'oob') {
    if (typeof raw.oob_channel !== 'string') {
      throw new ResponseError({ message: `${WHAT}: "oob_channel" is missing.` });
    }
    const result: OobEnrollmentResponse = {
      authenticatorType: 'oob',
      oobChannel: raw.oob_channel as OobChannel,
    };
    if (typeof raw.oob_code === 'string') result.oobCode = raw.oob_code;
    if (typeof raw.binding_method === 'string') result.bindingMethod = raw.binding_method;
    if (typeof raw.barcode_uri === 'string') result.barcodeUri = raw.barcode_uri;
    if (recoveryCodes) result.recoveryCodes = recoveryCodes;
    if (id) result.id = id;
    return result;
  }
  throw new ResponseError({ message: `${WHAT}: unexpected "authenticator_type".` });
}
