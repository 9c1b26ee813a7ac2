// Server-side AuthClient against the local tenant over HTTPS, the way auth-js code talks to an
// Auth0 domain: a bare host name, which means https. Start the tenant with TLS; it prints the
// line that makes Node trust its certificate:
//   npx auth0-enclave-tenant --https
//   NODE_EXTRA_CA_CERTS=<the file it printed> npx tsx examples/server-https.ts
import { AuthClient } from 'auth0-enclave/core';

const domain = process.env.TENANT_DOMAIN ?? 'localhost:4000';

const auth = new AuthClient({
  domain,
  clientId: 'sample-server',
  clientSecret: 'sample-server-secret',
});

const metadata = await auth.getServerMetadata();
console.log('issuer:', metadata.issuer);

const m2m = await auth.getTokenByClientCredentials({ audience: 'https://api.example.com/' });
console.log('client credentials:', m2m.tokenType, 'scope', m2m.scope);

const login = await auth.getTokenByPassword({
  username: 'alice@example.com',
  password: 'wonderland',
  scope: 'openid profile email offline_access',
});
console.log(
  'password grant:',
  login.claims?.name,
  '— ID token verified against',
  login.claims?.iss,
);

const user = await auth.getUserInfo({ accessToken: login.accessToken });
console.log('userinfo:', user.email);

const refreshed = await auth.getTokenByRefreshToken({ refreshToken: login.refreshToken ?? '' });
console.log('refresh: rotated =', refreshed.refreshToken !== login.refreshToken);

await auth.revokeToken({ token: refreshed.refreshToken ?? '' });
console.log('revoked the refresh token');
