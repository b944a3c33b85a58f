/**
 * `npm run emulator -- [--port N] [--auto-consent] [--spaces N] [--captured] [--quota POINTS]`: the
 * emulator from a shell. --captured answers like captured responses (each site once per product, a
 * Jira-only site, 10-digit space ids, scope failures without X-Failure-Category); --quota enforces an
 * hourly points quota (2 points a request) with Atlassian-shaped 429s.
 */
import { parseArgs } from 'node:util';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'auto-consent': { type: 'boolean', default: false },
    spaces: { type: 'string', default: '42' },
    'callback-port': { type: 'string', default: '9000' },
    captured: { type: 'boolean', default: false },
    quota: { type: 'string' },
  },
});
const port = Number(values.port);
const app = { ...DEFAULT_APP, callbackUrl: `http://localhost:${values['callback-port']}/oauth/callback` };
const emulator = new AtlassianEmulator({
  apps: [app],
  sites: [{ ...DEFAULT_SITES[0]!, spaceCount: Number(values.spaces) }],
  autoConsent: values['auto-consent'],
  ...(values.captured
    ? {
        entryPerProduct: true,
        extraResources: [{ id: 'jira-only-site', name: 'jira-only', url: 'https://jira-only.atlassian.net', scopes: ['read:jira-work', 'read:jira-user'] }],
        spaceIdBase: 1_933_180_000,
        scopeFailureHeader: false,
      }
    : {}),
  ...(values.quota ? { quota: { points: Number(values.quota) } } : {}),
  // The space ENG with the real pages of the ADF corpus, to read and search.
  pages: true,
  authPort: port,
  apiPort: port === 0 ? 0 : port + 1,
});
await emulator.start();
const env = emulator.env();
process.stdout.write(`Atlassian Cloud emulator
  auth:           ${emulator.authUrl}
  api:            ${emulator.apiUrl}
  client ID:      ${app.clientId}
  client secret:  ${app.clientSecret}   (an emulator app: not a real secret)
  callback URL:   ${app.callbackUrl}

Point confluence-adf at it:
${Object.entries(env).map(([k, v]) => `  export ${k}=${v}`).join('\n')}
  confluence-adf auth login

Ctrl-C stops it.
`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
