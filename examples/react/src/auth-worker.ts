// The security configuration lives here, in the worker script, not in page code: which server,
// which client, which APIs get the tokens. Vite compiles the VITE_* values in (see .env).
import { installAuthWorker } from 'auth0-enclave/worker';

installAuthWorker({
  domain: import.meta.env.VITE_AUTH0_DOMAIN,
  clientId: import.meta.env.VITE_AUTH0_CLIENT_ID,
  authorizationParams: {
    redirect_uri: `${self.location.origin}/callback`,
    audience: import.meta.env.VITE_API_AUDIENCE,
    scope: 'openid profile email read:notes',
  },
  apis: [{ url: import.meta.env.VITE_API_URL }],
});
