// Server-side use of AuthClient against the local tenant (`npm start`, or TENANT_URL).
// Run: npx tsx examples/server-tokens.ts
import { AuthClient, generateDpopKeyPair, OAuthError } from 'auth0-enclave/core';

const domain = process.env.TENANT_URL ?? 'http://localhost:4000';

const auth = new AuthClient({
  domain,
  clientId: 'sample-server',
  clientSecret: 'sample-server-secret',
  // Tokens bound to a non-extractable key: a leaked token is useless without it.
  dpop: await generateDpopKeyPair(),
});

// Machine to machine.
const m2m = await auth.getTokenByClientCredentials({ audience: 'https://api.example.com/' });
console.log(
  'client credentials:',
  m2m.tokenType,
  'expires at',
  new Date(m2m.expiresAt * 1000).toISOString(),
);

// A user, with a refresh token (Resource Owner Password grant: for trusted first-party servers).
const login = await auth.getTokenByPassword({
  username: 'alice@example.com',
  password: 'wonderland',
  scope: 'openid profile email offline_access',
  audience: 'https://api.example.com/',
});
console.log(
  'password grant:',
  login.claims?.name,
  '— ID token verified, token type',
  login.tokenType,
);

const user = await auth.getUserInfo({ accessToken: login.accessToken });
console.log('userinfo:', user.email);

const refreshed = await auth.getTokenByRefreshToken({ refreshToken: login.refreshToken ?? '' });
console.log('refresh: rotated =', refreshed.refreshToken !== login.refreshToken);

await auth.revokeToken({ token: refreshed.refreshToken ?? '' });
try {
  await auth.getTokenByRefreshToken({ refreshToken: refreshed.refreshToken ?? '' });
} catch (error) {
  if (error instanceof OAuthError) console.log('after revocation:', error.error);
  else throw error;
}
