/**
 * Build step: bundles our own code (with commander, chalk and proper-lockfile) into one CommonJS file,
 * dist/bundle/cli.cjs. A start-up then reads and compiles one file instead of resolving dozens of ES
 * modules; the heavy packages a command may need (got, openid-client, the MCP SDK, inquirer, zod, the
 * native keychain binding) stay outside and still load only when used. See bench/startup.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * commander requires node:child_process at load time, for executable subcommands this CLI never has;
 * that one require pulls in net, dgram and the stream stack. Inside commander it becomes a proxy that
 * loads the module on first use.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_t, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * The ADF schema validators (scripts/build-adf-validator.mjs) are a megabyte of generated code: they
 * stay their own files, copied beside the bundle and required from it the first time a command validates.
 */
const ADF_VALIDATORS = ['schema-verdict.cjs', 'schema-nodes.cjs'];
const adfValidatorOutside = {
  name: 'adf-validator-outside',
  setup(b) {
    b.onResolve({ filter: /\/schema-(verdict|nodes)\.cjs$/ }, (args) => ({ path: `./${args.path.split('/').pop()}`, external: true }));
  },
};

/**
 * The ADF converter (remark's parser and serializer, half the size of everything else) lives in its own
 * bundle, dist/bundle/adf.cjs, required by the `adf` and page commands that convert: other commands do
 * not read it at start-up.
 */
const adfFromItsBundle = {
  name: 'adf-from-its-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)adf\/index\.js$/ }, () => ({ path: 'adf', namespace: 'adf-bundle' }));
    // The page writer's merge and edit code sits beside the converter and imports it as './index.js'.
    b.onResolve({ filter: /^\.\/index\.js$/ }, (args) => (/[\\/]core[\\/]adf[\\/]/.test(args.importer) ? { path: 'adf', namespace: 'adf-bundle' } : undefined));
    b.onResolve({ filter: /^\.\/adf\.cjs$/ }, () => ({ path: './adf.cjs', external: true }));
    // A require() of its own, as for got: an import() of it would resolve from bin/load-cached.js.
    b.onLoad({ filter: /.*/, namespace: 'adf-bundle' }, () => ({ contents: "module.exports = require('./adf.cjs');", loader: 'js' }));
  },
};

/**
 * got's own bundle, dist/bundle/got.cjs, loaded by the first API call. got imports at load time what
 * only some requests use: http2-wrapper (TLS and HTTP/2 machinery, for the `http2` option we never
 * set), cacheable-request and keyv (the `cache` option), cacheable-lookup (`dnsCache`), node:https and
 * node:tls (https: URLs only). Each becomes a stand-in, with the names got imports from it, that loads
 * the real thing on first use (the packages from dist/bundle/got-lazy.cjs), so a request pays for what
 * it uses. An `instanceof` a stand-in class is false until its module has loaded: no instance can exist
 * before that.
 */
const GOT_LAZY_PACKAGES = ['http2-wrapper', 'cacheable-request', 'cacheable-lookup'];
const lazy = (name, body) => {
  const source = GOT_LAZY_PACKAGES.includes(name) ? `require('./got-lazy.cjs')[${JSON.stringify(name)}]` : `require(${JSON.stringify(name)})`;
  return `let real;\nconst load = () => (real ??= ${source});\n${body}`;
};
const forward = 'new Proxy({}, { get: (_target, key) => load()[key] })';
const construct = (name) => `function ${name}(...args) { return new (load().default)(...args); }`;
const STAND_INS_IN_GOT = {
  'http2-wrapper': lazy('http2-wrapper', `export default ${forward};`),
  'node:https': lazy('node:https', `export default ${forward};`),
  'node:tls': lazy('node:tls', 'export function checkServerIdentity(...args) { return load().checkServerIdentity(...args); }'),
  'cacheable-lookup': lazy('cacheable-lookup', `export default ${construct('CacheableLookup')}`),
  'cacheable-request': lazy(
    'cacheable-request',
    `export default ${construct('CacheableRequest')}
export class CacheError { static [Symbol.hasInstance](error) { return real !== undefined && error instanceof real.CacheError; } }`,
  ),
};
const lazyModulesForGot = {
  name: 'lazy-modules-for-got',
  setup(b) {
    const names = Object.keys(STAND_INS_IN_GOT);
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) =>
      args.namespace === 'lazy-got' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-got' },
    );
    b.onResolve({ filter: /^\.\/got-lazy\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-got' }, (args) => ({ contents: STAND_INS_IN_GOT[args.path], loader: 'js', resolveDir: process.cwd() }));
  },
};

/**
 * io.ts always hands chalk the colour level it decided (NO_COLOR, FORCE_COLOR, --no-color, a TTY), so
 * chalk's own detection, which loads node:tty and probes both descriptors when chalk is imported, is
 * never used by us: the default instance it would configure gets no colour.
 */
const chalkWithoutItsDetection = {
  name: 'chalk-without-its-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) =>
      args.importer.includes('node_modules/chalk/') ? { path: 'supports-color', namespace: 'no-detection' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-detection' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
  },
};

/**
 * chalk sets up every style it has when it loads (a twentieth of `auth status --offline`), and most
 * commands print to a pipe or a file, where io.ts's colors() uses no chalk at all. Our code's import
 * of chalk becomes a stand-in whose Chalk loads the real one on first use.
 */
const chalkOnFirstUse = {
  name: 'chalk-on-first-use',
  setup(b) {
    b.onResolve({ filter: /^chalk$/ }, (args) => (args.namespace === 'lazy-chalk' ? undefined : { path: 'chalk', namespace: 'lazy-chalk' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-chalk' }, () => ({
      contents: "let real;\nexport function Chalk(options) { return new (real ??= require('chalk')).Chalk(options); }",
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

/**
 * The MCP SDK and zod, which it builds on, in one CommonJS bundle of their own, dist/bundle/mcp-sdk.cjs,
 * loaded with the code cache (bin/load-cached.js) by `serve --mcp` only. As published they are some
 * hundred ES modules that Node's loader resolves, reads and links one by one at every server start.
 * Every import of them in our code takes its names from this one copy, so there is one zod.
 */
const MCP_VENDOR = { '@modelcontextprotocol/server': 'server', '@modelcontextprotocol/server/stdio': 'stdio', zod: 'zod' };
const mcpFromItsBundle = {
  name: 'mcp-from-its-bundle',
  setup(b) {
    b.onResolve({ filter: /^(@modelcontextprotocol\/server(\/stdio)?|zod)$/ }, (args) => ({ path: args.path, namespace: 'mcp-vendor' }));
    b.onResolve({ filter: /^\.\.\/\.\.\/bin\/load-cached\.js$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'mcp-vendor' }, (args) => ({
      contents: `module.exports = require('../../bin/load-cached.js')(require('node:path').join(__dirname, 'mcp-sdk.cjs'))[${JSON.stringify(MCP_VENDOR[args.path])}];`,
      loader: 'js',
    }));
  },
};

/** Our code's `import('got')` loads dist/bundle/got.cjs, next to the CLI bundle. */
const gotFromItsBundle = {
  name: 'got-from-its-bundle',
  setup(b) {
    b.onResolve({ filter: /^got$/ }, () => ({ path: 'got', namespace: 'got-bundle' }));
    b.onResolve({ filter: /^\.\.\/\.\.\/bin\/load-cached\.js$/ }, (args) => ({ path: args.path, external: true }));
    // A require() of its own, so that the first API call does not start Node's ES module loader for it,
    // through the code cache as the CLI bundle is: got is a fifth of what a first request runs.
    b.onLoad({ filter: /.*/, namespace: 'got-bundle' }, () => ({
      contents: "module.exports = require('../../bin/load-cached.js')(require('node:path').join(__dirname, 'got.cjs'));",
      loader: 'js',
    }));
  },
};

/**
 * bin/load-cached.js compiles the bundle with vm.Script and a code cache, and there (on Node 20 at
 * least) an `import()` of a package left outside the bundle fails ("A dynamic import callback was not
 * specified") once the cache is used. Those imports go through `__importExternal`, which the loader
 * passes in (an import() made from its own file); the banner's fallback, a plain import(), serves only
 * a bundle run some other way.
 */
function importsThroughTheLoader(file) {
  const code = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, code.replace(/(?<![\w$.])import\(("[^"]+")\)/g, '__importExternal($1)'));
}

/**
 * bin/load-cached.js compiles a bundle as the function Node's module loader would wrap it in, with
 * the loader's __importExternal beside Node's five names. The bundles it loads are written already
 * wrapped (LOADER_WRAPPER in bin/load-cached.js), so V8 compiles the file's own text: wrapping it at
 * start-up made a second copy of the whole source (550 KB for the CLI), and with it a garbage
 * collection in every command.
 */
function wrappedForTheLoader(file) {
  const { LOADER_WRAPPER } = require('../bin/load-cached.js');
  fs.writeFileSync(file, `${LOADER_WRAPPER[0]}${fs.readFileSync(file, 'utf8')}${LOADER_WRAPPER[1]}`);
}

/**
 * esbuild turns `import fs from 'node:fs'` into __toESM(require('node:fs')), which copies every export
 * of the module onto a new object, once per importing file: a few milliseconds of every start-up for
 * Node's own modules. An object whose prototype is the module, with `default` on it, reads the same.
 */
function builtinsWithoutCopies(file) {
  const code = fs.readFileSync(file, 'utf8');
  const helper = 'var __builtinESM = (mod) => Object.create(mod, { default: { value: mod, enumerable: true } });\n';
  const replaced = code.replace(/__toESM\(require\("(node:[a-z_/]+)"\)(, 1)?\)/g, '__builtinESM(require("$1"))');
  fs.writeFileSync(file, replaced === code ? code : helper + replaced);
}

/**
 * @sindresorhus/is (got's argument checks) builds two Intl.ListFormat objects when it loads, for the
 * wording of one kind of failed assertion; the first Intl object loads ICU's locale data, about 20 ms of
 * every command's first request. They are made on first use instead. The build fails if the package
 * no longer reads as expected, rather than silently keeping the cost.
 */
const listFormatOnFirstUse = {
  name: 'list-format-on-first-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/ }, (args) => {
      const code = fs.readFileSync(args.path, 'utf8');
      const pattern = /new Intl\.ListFormat\(/g;
      if ((code.match(pattern) ?? []).length !== 2) throw new Error(`${args.path}: expected two Intl.ListFormat at load; update scripts/bundle.mjs`);
      const lazy = 'const __listFormat = (...options) => { let made; return { format: (list) => (made ??= new Intl.ListFormat(...options)).format(list) }; };\n';
      return { contents: lazy + code.replace(pattern, '__listFormat('), loader: 'js' };
    });
  },
};

/**
 * cli-light.cjs, for the commands that touch no page (bin/load-cached.js, LIGHT_NOUNS: auth, spaces,
 * completion): the page and ADF verbs, the MCP server and the page writer are left out, and what
 * loads them becomes a module that fails loudly. A start-up reads, and deserialises the skeleton of,
 * a quarter less code (bench/rows/startup).
 */
const withoutPageCommands = {
  name: 'without-page-commands',
  setup(b) {
    const pageWorld = [
      [/[\\/]cli[\\/]program(-page-writes)?\.js$/, /^\.\/commands\/(pages\/|adf\/|serve\.js$)/],
      [/[\\/]core[\\/]core\.js$/, /^\.\/(page-writer|confluence\/page-writes)\.js$/],
    ];
    b.onResolve({ filter: /\.js$/ }, (args) =>
      pageWorld.some(([importer, path]) => importer.test(args.importer) && path.test(args.path)) ? { path: args.path, namespace: 'not-in-light' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'not-in-light' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in dist/bundle/cli-light.cjs: bin/load-cached.js sent a command there that needs cli.cjs`)});`,
      loader: 'js',
    }));
  },
};

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
fs.rmSync('dist/bundle', { recursive: true, force: true });
/** The CLI bundle: cli.cjs holds every command; cli-light.cjs the same but for what reads or writes pages (see below). */
async function buildCli(outfile, extraPlugins = []) {
  await build({
    entryPoints: ['dist/src/cli/entry.js'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile,
    external: ['@napi-rs/keyring', 'openid-client', '@inquirer/prompts', 'yaml'], // yaml: front matter only, loaded when a page is read or written
    // jsonc-parser's main is a UMD build whose requires esbuild cannot follow; its ES modules bundle.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    define: { __CONFLUENCE_ADF_VERSION__: JSON.stringify(pkg.version) },
    // packageVersion() reads package.json through import.meta only in the unbundled build.
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [...extraPlugins, lazyChildProcessForCommander, adfValidatorOutside, adfFromItsBundle, gotFromItsBundle, chalkOnFirstUse, chalkWithoutItsDetection, mcpFromItsBundle],
    // See importsThroughTheLoader below.
    banner: { js: 'var __importExternal = typeof __importExternal === "function" ? __importExternal : (specifier) => import(specifier);' },
    logLevel: 'warning',
  });
  importsThroughTheLoader(outfile);
  builtinsWithoutCopies(outfile);
  wrappedForTheLoader(outfile);
}

await buildCli('dist/bundle/cli.cjs');
await buildCli('dist/bundle/cli-light.cjs', [withoutPageCommands]);

await build({
  stdin: { contents: "module.exports = require('got').default;", resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/got.cjs',
  plugins: [lazyModulesForGot, listFormatOnFirstUse],
  logLevel: 'warning',
});
wrappedForTheLoader('dist/bundle/got.cjs');

await build({
  stdin: {
    contents: Object.entries(MCP_VENDOR).map(([name, key]) => `exports.${key} = require(${JSON.stringify(name)});`).join('\n'),
    resolveDir: process.cwd(),
    loader: 'js',
  },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/mcp-sdk.cjs',
  logLevel: 'warning',
});
wrappedForTheLoader('dist/bundle/mcp-sdk.cjs');

await build({
  stdin: { contents: GOT_LAZY_PACKAGES.map((name) => `exports[${JSON.stringify(name)}] = require(${JSON.stringify(name)});`).join('\n'), resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/got-lazy.cjs',
  logLevel: 'warning',
});

await build({
  entryPoints: ['dist/src/core/adf/index.js'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/adf.cjs',
  // Should the converter validate, the schema files stay outside this bundle too.
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [adfValidatorOutside],
  logLevel: 'warning',
});
for (const file of ADF_VALIDATORS) fs.copyFileSync(`dist/src/core/adf/${file}`, `dist/bundle/${file}`);