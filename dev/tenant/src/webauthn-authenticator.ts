// A software WebAuthn authenticator for tests: it answers `/passkey/register` and
// `/passkey/challenge` options the way a browser plus a platform authenticator would, with real
// ES256 signatures, so the tenant's @simplewebauthn/server verification runs unmodified.
//
// What it builds (WebAuthn Level 2, §6.1 and §6.5):
// - clientDataJSON: `{ type, challenge, origin, crossOrigin }`, as the browser writes it;
// - authenticatorData: SHA-256(rpId) ‖ flags ‖ signCount (u32 BE) [‖ attested credential data:
//   AAGUID (16 zero bytes) ‖ credentialId length (u16 BE) ‖ credentialId ‖ COSE_Key];
// - registration: a CBOR attestation object `{ fmt: "none", attStmt: {}, authData }`;
// - login: an ECDSA P-256 / SHA-256 signature over authenticatorData ‖ SHA-256(clientDataJSON),
//   DER-encoded as WebAuthn requires for ES256.
// Every field a test may want to falsify (origin, RP ID, type, challenge, counter) can be
// overridden per call.
import type { webcrypto } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL_DATA = 0x40;

/** The JSON a browser's `PublicKeyCredential.toJSON()` gives after `navigator.credentials.create`. */
export interface RegistrationCredential {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
}

/** The JSON a browser gives after `navigator.credentials.get`. */
export interface AuthenticationCredential {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle?: string;
  };
  clientExtensionResults: Record<string, never>;
}

/** What a ceremony may lie about (each defaults to the honest value). */
export interface CeremonyOverrides {
  /** The page's origin, written into clientDataJSON. Required: the browser always knows it. */
  origin: string;
  /** The RP ID whose hash goes into authenticatorData. Default: the options' RP ID. */
  rpId?: string;
  /** clientDataJSON `type`. Default: `webauthn.create` / `webauthn.get`. */
  type?: string;
  /** clientDataJSON `challenge`. Default: the options' challenge. */
  challenge?: string;
  /** Signature counter to report. Default: the authenticator's next value. */
  counter?: number;
}

type Bytes = Uint8Array<ArrayBuffer>;

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const fromB64url = (text: string): Bytes => new Uint8Array(Buffer.from(text, 'base64url'));

async function sha256(bytes: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function u32(value: number): Bytes {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** A DER INTEGER from an unsigned big-endian value (ECDSA r or s). */
function derInteger(bytes: Uint8Array): Bytes {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let value = bytes.slice(start);
  if ((value[0] ?? 0) & 0x80) value = concat(new Uint8Array([0]), value);
  return concat(new Uint8Array([0x02, value.length]), value);
}

/** WebCrypto's raw r‖s ECDSA signature as the DER SEQUENCE WebAuthn uses. */
function derSignature(raw: Uint8Array): Bytes {
  const body = concat(derInteger(raw.slice(0, 32)), derInteger(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

function clientData(type: string, challenge: string, origin: string): Bytes {
  return new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/**
 * One discoverable ES256 credential, created by {@link SoftAuthenticator.register} and used by
 * {@link SoftAuthenticator.authenticate}. `counter` starts at 0 and grows by one per login.
 */
export class SoftAuthenticator {
  /** The credential's random id (16 bytes). */
  readonly credentialId = crypto.getRandomValues(new Uint8Array(16));
  /** The signature counter: 0 after registration, one more per login. */
  counter = 0;
  /** The user handle the credential was created for (base64url), from the register options. */
  userHandle: string | undefined;
  readonly #keys: webcrypto.CryptoKeyPair;

  private constructor(keys: webcrypto.CryptoKeyPair) {
    this.#keys = keys;
  }

  /** A new authenticator with a fresh, non-extractable P-256 key pair. */
  static async create(): Promise<SoftAuthenticator> {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    return new SoftAuthenticator(keys);
  }

  /** The credential id, base64url-encoded, as WebAuthn JSON carries it. */
  get id(): string {
    return b64url(this.credentialId);
  }

  /** `navigator.credentials.create()` for the `authn_params_public_key` of `/passkey/register`. */
  async register(
    options: { challenge: string; rp: { id: string }; user: { id: string } },
    overrides: CeremonyOverrides,
  ): Promise<RegistrationCredential> {
    this.userHandle = options.user.id;
    const jwk = await crypto.subtle.exportKey('jwk', this.#keys.publicKey);
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, fromB64url(jwk.x ?? '')],
      [-3, fromB64url(jwk.y ?? '')],
    ]);
    const idLength = new Uint8Array([
      this.credentialId.length >> 8,
      this.credentialId.length & 0xff,
    ]);
    const authData = concat(
      await sha256(new TextEncoder().encode(overrides.rpId ?? options.rp.id)),
      new Uint8Array([FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_ATTESTED_CREDENTIAL_DATA]),
      u32(overrides.counter ?? this.counter),
      new Uint8Array(16), // AAGUID: all zero, as `none` attestation allows
      idLength,
      this.credentialId,
      isoCBOR.encode(coseKey),
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = clientData(
      overrides.type ?? 'webauthn.create',
      overrides.challenge ?? options.challenge,
      overrides.origin,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** `navigator.credentials.get()` for the `authn_params_public_key` of `/passkey/challenge`. */
  async authenticate(
    options: { challenge: string; rpId: string },
    overrides: CeremonyOverrides,
  ): Promise<AuthenticationCredential> {
    const counter = overrides.counter ?? ++this.counter;
    const authData = concat(
      await sha256(new TextEncoder().encode(overrides.rpId ?? options.rpId)),
      new Uint8Array([FLAG_USER_PRESENT | FLAG_USER_VERIFIED]),
      u32(counter),
    );
    const clientDataJSON = clientData(
      overrides.type ?? 'webauthn.get',
      overrides.challenge ?? options.challenge,
      overrides.origin,
    );
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.#keys.privateKey, signed),
    );
    const credential: AuthenticationCredential = {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(derSignature(raw)),
      },
      clientExtensionResults: {},
    };
    if (this.userHandle !== undefined) credential.response.userHandle = this.userHandle;
    return credential;
  }
}
