/** Named profiles: two OAuth apps standing for two Confluence instances, side by side. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator, HOUR, MINUTE } from '../emulator/server.js';
import { BIN, FAKE_BROWSER, freePort, runCli, tempHome } from '../support/cli.js';
import { spacesListSchema } from '../../src/mcp/schemas.js';

const emu = new AtlassianEmulator({
  autoConsent: true,
  leewayMs: 0,
  sites: [
    { id: 'c-prod', name: 'prod', url: 'https://prod.atlassian.net', spaceCount: 7 },
    { id: 'c-dev', name: 'dev', url: 'https://dev.atlassian.net', spaceCount: 3 },
  ],
  user: { accountId: 'acc-1', name: 'Ada Lovelace', email: 'ada@example.com', siteIds: ['c-prod', 'c-dev'] },
});
before(() => emu.start());
after(() => emu.stop());

async function twoProfiles() {
  const { home, cleanup } = await tempHome();
  const [portA, portB] = [await freePort(), await freePort()];
  const prodApp = emu.registerApp({ name: 'prod app', callbackUrl: `http://localhost:${portA}/oauth/callback` });
  const devApp = emu.registerApp({ name: 'dev app', callbackUrl: `http://localhost:${portB}/oauth/callback` });
  const base = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl, BROWSER: FAKE_BROWSER };
  const cli = (args: string[], extra: Record<string, string | undefined> = {}) => runCli(args, { env: { ...base, ...extra } });
  const loginDefault = await cli(['auth', 'login', '--callback-port', String(portA), '--site', 'prod'], { CONFLUENCE_CLIENT_ID: prodApp.clientId, CONFLUENCE_CLIENT_SECRET: prodApp.clientSecret });
  assert.equal(loginDefault.code, 0, loginDefault.stderr);
  const loginDev = await cli(['auth', 'login', '--profile', 'dev', '--callback-port', String(portB), '--site', 'dev'], { CONFLUENCE_CLIENT_ID: devApp.clientId, CONFLUENCE_CLIENT_SECRET: devApp.clientSecret });
  assert.equal(loginDev.code, 0, loginDev.stderr);
  assert.match(loginDev.stderr, /, profile "dev"\./);
  return { home, base, cli, cleanup };
}

describe('profiles', () => {
  test('two logins side by side: each lists its own spaces; status --all shows both; logging out of one leaves the other', async () => {
    const p = await twoProfiles();
    try {
      const prod = JSON.parse((await p.cli(['spaces', 'list', '--json'])).stdout);
      const dev = JSON.parse((await p.cli(['spaces', 'list', '--json', '--profile', 'dev'])).stdout);
      assert.equal(prod.length, 7);
      assert.equal(dev.length, 3);
      assert.ok(dev[0].url.startsWith('https://dev.atlassian.net'));
      const viaEnv = JSON.parse((await p.cli(['spaces', 'list', '--json'], { CONFLUENCE_ADF_PROFILE: 'dev' })).stdout);
      assert.equal(viaEnv.length, 3);

      const table = await p.cli(['auth', 'status', '--all']);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /\* default\s+https:\/\/prod\.atlassian\.net\s+Ada Lovelace\s+working/);
      assert.match(table.stdout, / {2}dev\s+https:\/\/dev\.atlassian\.net\s+Ada Lovelace\s+working/);
      const all = JSON.parse((await p.cli(['auth', 'status', '--all', '--json'])).stdout) as { profile: { name: string }; site: { cloudId: string } }[];
      assert.deepEqual(all.map((r) => [r.profile.name, r.site.cloudId]), [['default', 'c-prod'], ['dev', 'c-dev']]);

      // Separate files, keys and locks: nothing shared.
      const defaultFile = await fs.readFile(path.join(p.home, 'oauth-tokens.json'), 'utf8');
      const devFile = await fs.readFile(path.join(p.home, 'profiles', 'dev', 'oauth-tokens.json'), 'utf8');
      assert.notEqual(JSON.parse(defaultFile).record.clientId, JSON.parse(devFile).record.clientId);
      assert.notEqual(await fs.readFile(path.join(p.home, 'oauth-tokens.key'), 'utf8'), await fs.readFile(path.join(p.home, 'profiles', 'dev', 'oauth-tokens.key'), 'utf8'));

      const out = await p.cli(['auth', 'logout', '--profile', 'dev']);
      assert.equal(out.code, 0, out.stderr);
      assert.equal((await p.cli(['spaces', 'list', '--limit', '1'])).code, 0, 'default untouched');
      assert.equal(await fs.readFile(path.join(p.home, 'oauth-tokens.json'), 'utf8'), defaultFile);
      const gone = await p.cli(['spaces', 'list', '--profile', 'dev']);
      assert.equal(gone.code, 4, 'a signed-out profile needs a login, as `default` would');
      assert.match(gone.stderr, /The profile "dev" is not signed in \(known profiles: default\)\./);
    } finally {
      await p.cleanup();
    }
  });

  test('auth switch sets the default, and status says which profile is active and why', async () => {
    const p = await twoProfiles();
    try {
      assert.match((await p.cli(['auth', 'status', '--offline'])).stdout, /profile: {8}default \(the default\)/);
      assert.equal((await p.cli(['auth', 'switch', 'dev'])).code, 0);
      assert.match((await p.cli(['auth', 'status', '--offline'])).stdout, /profile: {8}dev \(from the auth switch setting\)/);
      assert.match((await p.cli(['auth', 'status', '--offline'], { CONFLUENCE_ADF_PROFILE: 'default' })).stdout, /profile: {8}default \(from the CONFLUENCE_ADF_PROFILE variable\)/);
      assert.match((await p.cli(['auth', 'status', '--offline', '--profile', 'default'])).stdout, /profile: {8}default \(from the --profile flag\)/);
      const status = JSON.parse((await p.cli(['auth', 'status', '--json'])).stdout);
      assert.deepEqual(status.profile, { name: 'dev', source: 'stored default' });
      assert.equal(status.site.cloudId, 'c-dev');
      const unknown = await p.cli(['auth', 'switch', 'staging']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Known profiles: default, dev/);
      const badName = await p.cli(['auth', 'status', '--profile', 'no/slashes']);
      assert.equal(badName.code, 2);
      assert.match(badName.stderr, /not a valid profile name/);
      const allOut = await p.cli(['auth', 'logout', '--all', '--json']);
      assert.deepEqual((JSON.parse(allOut.stdout) as { profile: string }[]).map((r) => r.profile), ['default', 'dev']);
      assert.equal((await p.cli(['auth', 'status'])).code, 4, 'the switch setting went with the profiles');
    } finally {
      await p.cleanup();
    }
  });

  test('two MCP servers pinned to different profiles answer for their own sites at once; racing refreshes never cross', async () => {
    const p = await twoProfiles();
    const servers: Client[] = [];
    try {
      for (const profile of ['default', 'dev']) {
        const client = new Client({ name: `pinned-${profile}`, version: '1' });
        await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--mcp', '--profile', profile], env: { PATH: process.env.PATH!, ...p.base } as Record<string, string>, stderr: 'ignore' }));
        servers.push(client);
      }
      const start = { ...emu.stats };
      for (let round = 0; round < 3; round++) {
        emu.advance(HOUR + MINUTE);
        const [prod, dev, cliProd, cliDev] = await Promise.all([
          servers[0]!.callTool({ name: 'spaces_list', arguments: {} }),
          servers[1]!.callTool({ name: 'spaces_list', arguments: {} }),
          p.cli(['spaces', 'list', '--json']),
          p.cli(['spaces', 'list', '--json', '--profile', 'dev']),
        ]);
        const a = spacesListSchema.parse(prod.structuredContent);
        const b = spacesListSchema.parse(dev.structuredContent);
        assert.deepEqual([a.profile, a.site.cloudId, a.results.length], ['default', 'c-prod', 7]);
        assert.deepEqual([b.profile, b.site.cloudId, b.results.length], ['dev', 'c-dev', 3]);
        assert.equal(JSON.parse(cliProd.stdout).length, 7, cliProd.stderr);
        assert.equal(JSON.parse(cliDev.stdout).length, 3, cliDev.stderr);
      }
      assert.equal(emu.stats.refreshes - start.refreshes, 6, 'one refresh per profile per expiry');
      assert.equal(emu.stats.reuseAfterLeeway - start.reuseAfterLeeway, 0);
      assert.equal(emu.stats.revokedFamilies - start.revokedFamilies, 0);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await p.cleanup();
    }
  });

  test('export one profile and import it under another name; completions offer the profile names', async () => {
    const p = await twoProfiles();
    try {
      const bundle = await p.cli(['auth', 'export', '--profile', 'dev', '--keep', '--plaintext']);
      assert.equal(bundle.code, 0, bundle.stderr);
      const imported = await runCli(['auth', 'import', '--profile', 'dev-copy', '--offline', '--plaintext'], { env: { ...p.base }, input: bundle.stdout });
      assert.equal(imported.code, 0, imported.stderr);
      const status = JSON.parse((await p.cli(['auth', 'status', '--json', '--offline', '--profile', 'dev-copy'])).stdout);
      assert.equal(status.site.cloudId, 'c-dev');
      const names = await p.cli(['__complete', 'profiles']);
      assert.deepEqual(names.stdout.trim().split('\n'), ['default', 'dev', 'dev-copy']);
    } finally {
      await p.cleanup();
    }
  });
});
