/**
 * Findings 9 to 11 of the security review:
 * 9.  Bash completion ran commands hidden in stored site names (`compgen -W` expands `$(...)`).
 * 10. Terminal escape sequences from the network were printed raw (`error_description`, space names).
 * 11. The `BROWSER` child inherited the whole environment, client secret and passphrase included.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AtlassianEmulator } from '../emulator/server.js';
import { ROOT, freePort, runCli, tempHome } from '../support/cli.js';
import { coreFor, seedLogin } from '../support/core.js';

const emu = new AtlassianEmulator();
before(() => emu.start());
after(() => emu.stop());

/** Escape sequences that clear the screen, set the window title and write the clipboard (OSC 52), plus C1 CSI. */
const ESCAPES = '\u001b[2J\u001b]0;owned\u0007\u001b]52;c;ZWNobyBvd25lZA==\u0007\u009b31m\u202e';
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('hostile strings', () => {
  test('bash completion never runs what a stored site name hides; only plain names are offered', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const login = await seedLogin(coreFor(home, emu), emu, Date.now());
      const hostile = [`$(touch\${IFS}${home}/ran-1)`, `\`touch\${IFS}${home}/ran-2\``, `x;touch\${IFS}${home}/ran-3`, 'globex'];
      const sites = hostile.map((name, i) => ({ cloudId: `c-${i}`, name, url: `https://site-${i}.atlassian.net` }));
      await coreFor(home, emu).store.write({ ...login, record: { ...login.record, sites } });
      const binDir = path.join(home, 'bin');
      await fs.mkdir(binDir);
      await fs.symlink(path.join(ROOT, 'bin', 'confluence-adf.js'), path.join(binDir, 'confluence-adf'));
      const env = { PATH: `${binDir}:${path.dirname(process.execPath)}:${process.env.PATH}`, CONFLUENCE_ADF_HOME: home, HOME: home };
      const words = ['confluence-adf', 'spaces', 'list', '--site', ''];
      const script = `source ${JSON.stringify(path.join(ROOT, 'completions', 'confluence-adf.bash'))}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _confluence_adf; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const offered = execFileSync('bash', ['-c', script], { encoding: 'utf8', env }).split('\n').filter(Boolean).sort();
      assert.deepEqual(offered, ['globex', 'site-0.atlassian.net', 'site-1.atlassian.net', 'site-2.atlassian.net', 'site-3.atlassian.net']);
      for (const n of [1, 2, 3]) await assert.rejects(fs.stat(path.join(home, `ran-${n}`)), `the command hidden in site name ${n} did not run`);
    } finally {
      await cleanup();
    }
  });

  test('escape sequences in space names and in the token endpoint\'s error_description never reach the terminal', async () => {
    const { home, cleanup } = await tempHome();
    // A server playing both Atlassian hosts, with hostile text in its answers.
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/oauth/token')) {
        res.writeHead(400).end(JSON.stringify({ error: `invalid_request${ESCAPES}`, error_description: `refused${ESCAPES} here` }));
      } else if (req.url?.includes('/wiki/api/v2/spaces')) {
        res.end(JSON.stringify({ results: [{ id: 1, key: `KEY${ESCAPES}`, name: `Evil${ESCAPES}Space`, type: 'global', status: 'current', _links: { webui: '/spaces/KEY' } }], _links: {} }));
      } else {
        res.writeHead(404).end(JSON.stringify({ errors: [{ status: 404, title: `Not found${ESCAPES}` }] }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: url, CONFLUENCE_ADF_API_URL: url };
      const login = await seedLogin(coreFor(home, emu), emu, Date.now());
      await coreFor(home, undefined).store.write({ ...login, record: { ...login.record, authUrl: url, apiUrl: url } });
      const spaces = await runCli(['spaces', 'list'], { env });
      assert.equal(spaces.code, 0, spaces.stderr);
      assert.match(spaces.stdout, /Evil.*Space/);
      const refresh = await runCli(['auth', 'refresh'], { env });
      assert.notEqual(refresh.code, 0);
      assert.match(refresh.stderr, /refused.*here/);
      for (const [what, text] of [['spaces list', spaces.stdout + spaces.stderr], ['auth refresh', refresh.stdout + refresh.stderr]]) {
        assert.doesNotMatch(text!, UNPRINTABLE, `${what} printed a control character: ${JSON.stringify(text)}`);
      }
    } finally {
      server.close();
      await cleanup();
    }
  });

  test('the browser is started without the client secret, the passphrase or any other secret of ours', async () => {
    const { home, cleanup } = await tempHome();
    try {
      const dump = path.join(home, 'browser-env.txt');
      const browser = path.join(home, 'dump-env.sh');
      await fs.writeFile(browser, `#!/bin/sh\nenv > ${JSON.stringify(dump)}\n`, { mode: 0o755 });
      const port = await freePort();
      const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback`, clientSecret: 'cs-BROWSER-CANARY' });
      const r = await runCli(['auth', 'login', '--callback-port', String(port), '--timeout', '3'], {
        env: { CONFLUENCE_ADF_HOME: home, ...emu.env(app), BROWSER: browser, CONFLUENCE_ADF_PASSPHRASE: 'pp-BROWSER-CANARY', SOME_API_TOKEN: 'tok-BROWSER-CANARY', KEEP_ME: 'kept' },
      });
      assert.notEqual(r.code, 0, 'nobody approved: the login times out');
      const seen = await fs.readFile(dump, 'utf8');
      assert.match(seen, /^KEEP_ME=kept$/m, 'the rest of the environment is passed on');
      assert.doesNotMatch(seen, /CANARY/);
      assert.doesNotMatch(seen, /^CONFLUENCE_/m);
    } finally {
      await cleanup();
    }
  });
});
