// MFA with AuthClient: a password login that the tenant answers with mfa_required, OTP
// enrollment, and the code a phone app would show. Against the local tenant (`npm start`).
// Run: npx tsx examples/server-mfa.ts

import { AuthClient, isMfaRequiredError } from 'auth0-enclave/core';
import { generate } from 'otplib';

const domain = process.env.TENANT_URL ?? 'http://localhost:4000';
const auth = new AuthClient({
  domain,
  clientId: 'sample-server',
  clientSecret: 'sample-server-secret',
});

try {
  await auth.getTokenByPassword({
    username: 'mfa@example.com',
    password: 'wonderland',
    scope: 'openid profile',
  });
  throw new Error('expected mfa_required');
} catch (error) {
  if (!isMfaRequiredError(error)) throw error;
  const mfaToken = error.mfa_token;
  console.log('mfa_required:', JSON.stringify(error.mfa_requirements));

  const enrollment = await auth.mfa.enrollAuthenticator({ mfaToken, authenticatorTypes: ['otp'] });
  if (enrollment.authenticatorType !== 'otp') throw new Error('expected an OTP enrollment');
  // Show enrollment.barcodeUri as a QR code to the user; never log it (it holds the secret).
  console.log('enrolled: an OTP authenticator, shown to the user as a QR image');

  // What the user's authenticator app would show now.
  const otp = await generate({ secret: enrollment.secret });
  const verified = await auth.mfa.verify({ mfaToken, factorType: 'otp', otp });
  console.log('verified:', verified.claims?.name, '— amr', JSON.stringify(verified.claims?.amr));
}
