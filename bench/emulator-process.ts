/**
 * The emulator for `npm run bench`, in a process of its own so its work never lands in a measured
 * event loop. argv: emulator options as JSON, the home to sign in. Prints one JSON line (URLs, cloud
 * ID, access token), then answers one JSON line per command on stdin: `stats`, `refill` (the rate
 * bucket back to full, so runs do not wait for it), `stop`.
 */
import readline from 'node:readline';
import { AtlassianEmulator, DEFAULT_SITES, type EmulatorOptions } from '../test/emulator/server.js';
import { coreFor, seedLogin } from '../test/support/core.js';

const [optionsJson, home] = process.argv.slice(2);
const options = JSON.parse(optionsJson ?? '{}') as EmulatorOptions;
const emu = await new AtlassianEmulator(options).start();
const login = await seedLogin(coreFor(home!, emu), emu, Date.now());
const site = (options.sites ?? DEFAULT_SITES)[0]!;
process.stdout.write(`${JSON.stringify({ authUrl: emu.authUrl, apiUrl: emu.apiUrl, cloudId: site.id, accessToken: login.secrets.accessToken })}\n`);

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'stats') process.stdout.write(`${JSON.stringify({ requests: emu.requests.length, ...emu.stats })}\n`);
  else if (line === 'refill') {
    emu.refillRateLimit();
    process.stdout.write('{}\n');
  } else if (line === 'stop') break;
}
await emu.stop();
process.exit(0);
