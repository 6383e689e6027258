'use strict';
// Starts a server bundle with a V8 code cache, so the ~400 KB bundle is not parsed and compiled
// from scratch on every start. Where the runtime has module.enableCompileCache (Node 22.1+, and the
// Node inside Electron 40, which is what packaged apps run the servers with), that does it; on Node
// 20 the hand-written cache below stands in for it. Copied by the build to
// dist/servers/<name>.cjs next to <name>.bundle.cjs. Anything that goes wrong with the cache is
// ignored: the bundle then simply runs without it. MCP_TRAY_NO_CODE_CACHE=1 turns it off.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = __filename.replace(/\.cjs$/, '.bundle.cjs');

function cacheDir() {
  if (process.env.MCP_TRAY_CACHE_DIR) return process.env.MCP_TRAY_CACHE_DIR;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'MCP Tray');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'MCP Tray', 'Cache');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'mcp-tray');
}

/**
 * The server sets this V8 flag at start (keepYoungGenerationSmall in servers/shared/stdio.ts). V8
 * rejects a code cache made under other flag values, so it is set here first, before anything is
 * compiled: otherwise every cache was made after the change and refused at the next start (which
 * had made the cache useless, every start compiling from scratch and writing it again).
 */
function setFlagsFirst() {
  if (process.env.MCP_TRAY_YOUNG_GENERATION === 'grow') return;
  try {
    require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    /* a runtime without the flag */
  }
}

function run() {
  setFlagsFirst();
  if (process.env.MCP_TRAY_NO_CODE_CACHE === '1') return require(bundle);
  if (typeof Module.enableCompileCache === 'function') {
    try {
      Module.enableCompileCache(cacheDir());
    } catch {
      /* no cache: only start-up time is lost */
    }
    return require(bundle);
  }
  const source = fs.readFileSync(bundle, 'utf8');
  const stat = fs.statSync(bundle);
  const key = `${path.basename(bundle, '.bundle.cjs')}-${process.versions.v8}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}.v8`;
  const cacheFile = path.join(cacheDir(), key);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    /* first start: no cache yet */
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const localRequire = (id) => mod.require(id);
  localRequire.resolve = (request) => Module._resolveFilename(request, mod);
  script.runInThisContext().call(mod.exports, mod.exports, localRequire, mod, bundle, path.dirname(bundle));
  if (!cachedData || script.cachedDataRejected) {
    // Written after start-up (or at exit, if sooner), so the functions compiled while starting are in it.
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        /* a cache we cannot write only costs start-up time */
      }
    };
    setTimeout(write, 300).unref();
    process.once('exit', write);
  }
}

run();
