// The build-time values Vite compiles in (.env). None is a secret: the worker holds those.
interface ImportMetaEnv {
  readonly VITE_AUTH0_DOMAIN: string;
  readonly VITE_AUTH0_CLIENT_ID: string;
  readonly VITE_API_URL: string;
  readonly VITE_API_AUDIENCE: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
