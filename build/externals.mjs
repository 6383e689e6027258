// What the bundles leave out and load from node_modules at run time: the only runtime dependencies.
// Everything else is inlined by esbuild (servers, CLI, Electron main) or Vite (UI), so it is a
// devDependency and never copied into the installer (test/build/payload.test.ts holds us to it).
export const RUNTIME_EXTERNALS = ['better-sqlite3', 'electron-updater'];
/** Provided by the runtime itself. */
export const PROVIDED = ['electron'];
