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
 * stay their own files, required from the bundle the first time a command validates.
 */
const adfValidatorOutside = {
  name: 'adf-validator-outside',
  setup(b) {
    b.onResolve({ filter: /\/schema-(verdict|nodes)\.cjs$/ }, (args) => ({ path: `../src/core/adf/${args.path.split('/').pop()}`, external: true }));
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
  external: ['@napi-rs/keyring', 'yaml', 'got', 'openid-client', '@modelcontextprotocol/server', '@inquirer/prompts', 'zod', 'jsonc-parser'], // jsonc-parser: its UMD main requires files esbuild cannot follow
  define: { __CONFLUENCE_ADF_VERSION__: JSON.stringify(pkg.version) },
  // packageVersion() reads package.json through import.meta only in the unbundled build.
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [lazyChildProcessForCommander, adfValidatorOutside],
  logLevel: 'warning',
});
