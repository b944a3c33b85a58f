/**
 * Build step: bundles our own code (with commander, chalk and proper-lockfile) into one CommonJS file,
 * dist/bundle/cli.cjs. A start-up then reads and compiles one file instead of resolving dozens of ES
 * modules; the heavy packages a command may need (got, openid-client, the MCP SDK, inquirer, zod, the
 * native keychain binding) stay outside and still load only when used. See bench/startup.
 */
import { build } from 'esbuild';
import fs from 'node:fs';

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
    b.onResolve({ filter: /core\/adf\/index\.js$/ }, () => ({ path: './adf.cjs', external: true }));
  },
};

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
fs.rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: ['dist/src/cli/entry.js'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/bundle/cli.cjs',
  external: ['@napi-rs/keyring', 'got', 'openid-client', '@modelcontextprotocol/server', '@inquirer/prompts', 'zod'],
  // jsonc-parser's main is a UMD build whose requires esbuild cannot follow; its ES modules bundle.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  define: { __CONFLUENCE_ADF_VERSION__: JSON.stringify(pkg.version) },
  // packageVersion() reads package.json through import.meta only in the unbundled build.
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [lazyChildProcessForCommander, adfValidatorOutside, adfFromItsBundle],
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
