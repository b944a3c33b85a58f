/**
 * One process of the refresh storm: waits for the start time, then M callers ask for a token at once.
 * The clock starts before the core's modules load, so the wait includes what a fresh process pays.
 */
const [home, authUrl, apiUrl, callersRaw, startAtRaw] = process.argv.slice(2);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtRaw) - Date.now())));
const started = performance.now();
const [{ Core }, { memoryKeyring }] = await Promise.all([import('../src/core/core.js'), import('../test/support/memory-keyring.js')]);
const core = new Core({
  env: { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: authUrl, CONFLUENCE_ADF_API_URL: apiUrl },
  homedir: home!,
  now: Date.now,
  keyring: memoryKeyring(false),
});
const waits = await Promise.all(
  Array.from({ length: Number(callersRaw) }, async () => {
    await core.session.accessToken();
    return performance.now() - started;
  }),
);
process.stdout.write(JSON.stringify(waits));
