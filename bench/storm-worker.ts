/** One process of the refresh storm: waits for the start time, then M callers ask for a token at once. */
import { Core } from '../src/core/core.js';
import { memoryKeyring } from '../test/support/memory-keyring.js';

const [home, authUrl, apiUrl, callersRaw, startAtRaw] = process.argv.slice(2);
const core = new Core({
  env: { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: authUrl, CONFLUENCE_ADF_API_URL: apiUrl },
  homedir: home!,
  now: Date.now,
  keyring: memoryKeyring(false),
});
await import('openid-client');
await import('proper-lockfile');
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtRaw) - Date.now())));
const waits = await Promise.all(
  Array.from({ length: Number(callersRaw) }, async () => {
    const started = performance.now();
    await core.session.accessToken();
    return performance.now() - started;
  }),
);
process.stdout.write(JSON.stringify(waits));
