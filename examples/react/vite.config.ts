// The page. The worker script is its own build (vite.worker.config.ts): one file at the site
// root, with the configuration compiled in.
export default { build: { target: 'es2022' } };
