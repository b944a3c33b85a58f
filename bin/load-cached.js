'use strict';
// CommonJS on purpose (see bin/package.json): the bin and the CLI bundle (for dist/bundle/mcp-sdk.cjs) use it.
const fs = require('node:fs');
const path = require('node:path');

/**
 * Loads one of our bundles with a V8 code cache, so a start-up deserialises compiled code instead of
 * compiling the bundle again (bench/rows/startup). The bundle is compiled through vm.Script with the
 * cache of an earlier run, kept per user in $XDG_CACHE_HOME/confluence-adf (else ~/.cache/confluence-adf),
 * on every Node (Node >= 22.1's own compile cache covers require() and import, not a script compiled
 * here). A missing, stale or rejected cache only costs the compile it would have saved; the cache is
 * written again once the command has run, so it holds the functions that run compiled too.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off.
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

/**
 * The CLI bundle a command starts from (`auth-status`, as the bin names it): the commands that read
 * or write no page start from dist/bundle/cli-light.cjs, which leaves out the page and ADF verbs, the
 * MCP server and the page writer (scripts/bundle.mjs); every other line, help and typos included,
 * from cli.cjs, which has everything.
 */
const LIGHT_NOUNS = new Set(['auth', 'spaces', 'completion', '__complete']);
module.exports.cliBundleFor = (command) => (LIGHT_NOUNS.has(command.split('-')[0]) ? 'cli-light.cjs' : 'cli.cjs');

/**
 * What a bundle is compiled as: the function Node's module loader wraps a file in, with the loader's
 * __importExternal beside Node's five names (import() inside a script compiled from a cache has no
 * loader on Node 20, so the bundle's imports of packages outside it come back here; scripts/bundle.mjs).
 * The build writes the bundles this loads already wrapped, so V8 compiles the file's own text instead
 * of a second copy of it.
 */
const LOADER_WRAPPER = ['(function (exports, require, module, __filename, __dirname, __importExternal) {', '\n})'];
module.exports.LOADER_WRAPPER = LOADER_WRAPPER;

function load(file, variant) {
  const Module = require('node:module');
  const vm = require('node:vm');
  const os = require('node:os');
  const text = readSource(file);
  const source = text.startsWith(LOADER_WRAPPER[0]) ? text : `${LOADER_WRAPPER[0]}${text}${LOADER_WRAPPER[1]}`;
  const stat = fs.statSync(file);
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'confluence-adf');
  // One cache per installed copy (several may share a home) and command, named for the build and the
  // Node that made it.
  const install = `${path.basename(file, '.cjs')}-${shortHash(file)}-`;
  const build = `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}.cache`;
  const name = `${install}${variant ? `${variant}-` : ''}${build}`;
  const useCache = !process.env.NODE_DISABLE_COMPILE_CACHE;
  let cachedData;
  try {
    if (useCache) cachedData = fs.readFileSync(path.join(dir, name));
  } catch {
    // No cache yet: this run compiles and writes one.
  }
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const bundle = { exports: {} };
  const importExternal = (specifier) => import(specifier);
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file), importExternal);
  // Not after a usage error (exit 2): a mistyped command leaves no cache behind. A command that ends
  // in its own non-zero status (signed out, an invalid document) keeps its cache like any other.
  if (useCache && (!cachedData || script.cachedDataRejected)) process.once('exit', (code) => code !== 2 && writeCache(dir, install, build, name, script));
  return bundle.exports;
}

/**
 * The bundle as a string. esbuild writes it as ASCII (its default charset escapes the rest), and an
 * ASCII file read as latin1 is the same string without the UTF-8 decoding pass, a third of the read;
 * anything else is read as UTF-8.
 */
function readSource(file) {
  const bytes = fs.readFileSync(file);
  return require('node:buffer').isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
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
