// The service worker: one ES module at the site root (its scope is then the whole app).
export default {
  build: {
    target: 'es2022',
    emptyOutDir: false,
    lib: { entry: 'src/auth-worker.ts', formats: ['es'], fileName: () => 'auth-worker.js' },
  },
};
