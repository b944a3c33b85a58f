'use strict';
// CommonJS on purpose (see bin/package.json): the bin and the CLI bundle (for dist/bundle/mcp-sdk.cjs) use it.
const fs = require('node:fs');
const path = require('node:path');

/**
 * Loads one of our bundles with a V8 code cache, so a start-up deserialises compiled code instead of
 * compiling the bundle again (bench/rows/startup). Node >= 22.1 has one built in; on Node 20 the bundle
 * is compiled through vm.Script with the cache of an earlier run, kept per user in
 * $XDG_CACHE_HOME/confluence-adf (else ~/.cache/confluence-adf). A missing, stale or rejected cache
 * only costs the compile it would have saved; the cache is written again once the command has run,
 * so it holds the functions that run compiled too. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
const loaded = new Map(); // like require's own cache: one evaluation per file and process

/**
 * `variant` names what the process is about to run (`auth-status`): each command keeps a cache of its
 * own, holding the functions it runs, instead of sharing whichever command happened to run first.
 */
module.exports = function loadCached(file, variant = '') {
  if (!loaded.has(file)) loaded.set(file, load(file, /^[a-z][a-z-]{0,40}$/.test(variant) ? variant : ''));
  return loaded.get(file);
};

function load(file, variant) {
  const Module = require('node:module');
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return require(file);
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return require(file);
  }
  const vm = require('node:vm');
  const os = require('node:os');
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'confluence-adf');
  // One cache per installed copy (several may share a home) and command, named for the build and the
  // Node that made it.
  const install = `${path.basename(file, '.cjs')}-${shortHash(file)}-`;
  const build = `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}.cache`;
  const name = `${install}${variant ? `${variant}-` : ''}${build}`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(path.join(dir, name));
  } catch {
    // No cache yet: this run compiles and writes one.
  }
  // Module.wrap's parameters, and __importExternal: import() inside a script compiled from a cache has
  // no loader on Node 20, so the bundle's imports of packages outside it come back here (scripts/bundle.mjs).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __importExternal) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const bundle = { exports: {} };
  const importExternal = (specifier) => import(specifier);
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file), importExternal);
  // Not after a usage error (exit 2): a mistyped command leaves no cache behind. A command that ends
  // in its own non-zero status (signed out, an invalid document) keeps its cache like any other.
  if (!cachedData || script.cachedDataRejected) process.once('exit', (code) => code !== 2 && writeCache(dir, install, build, name, script));
  return bundle.exports;
}

function shortHash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

function writeCache(dir, install, build, name, script) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = path.join(dir, `${name}.${process.pid}.tmp`);
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, path.join(dir, name));
    // This copy's caches of earlier builds or Node versions will never match again (its other commands' stay).
    for (const old of fs.readdirSync(dir)) if (old.startsWith(install) && !old.endsWith(build) && !old.endsWith('.tmp')) fs.rmSync(path.join(dir, old), { force: true });
  } catch {
    // A cache is an optimisation: a read-only or full disk must not fail the command.
  }
}
