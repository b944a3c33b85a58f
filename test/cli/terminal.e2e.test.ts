/** The CLI in a real terminal (tmux): the paste flow, the site picker, the spinner, Ctrl-C at a prompt. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator } from '../emulator/server.js';
import { BIN, FAKE_BROWSER, freePort, tempHome } from '../support/cli.js';
import { TerminalSession, hasTmux } from '../support/tmux.js';
import { requirement } from '../support/requirements.js';

const skip = requirement(hasTmux(), 'tmux');
const node = process.execPath;

// Each test carries the skip, not the suite, so a local run counts and names every test it did not run.
describe('in a real terminal', () => {
  const emu = new AtlassianEmulator({
    autoConsent: true,
    sites: [
      { id: 'c-acme', name: 'acme', url: 'https://acme.atlassian.net', spaceCount: 3 },
      { id: 'c-beta', name: 'beta', url: 'https://beta.atlassian.net', spaceCount: 3 },
    ],
    user: { accountId: 'acc-1', name: 'Ada Lovelace', email: 'ada@example.com', siteIds: ['c-acme'] },
  });
  before(() => emu.start());
  after(() => emu.stop());

  async function env() {
    const { home, cleanup } = await tempHome();
    const port = await freePort();
    const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
    return { home, port, cleanup, vars: { CONFLUENCE_ADF_HOME: home, ...emu.env(app) } };
  }

  test('--no-browser: approve elsewhere, paste the address the browser was sent to', { skip }, async () => {
    const e = await env();
    const term = new TerminalSession(`${node} ${BIN} auth login --no-browser --callback-port ${e.port}`, e.vars);
    try {
      const url = (await term.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/))[1]!;
      await term.waitFor(/ssh -L/);
      await term.waitFor(/Address the browser was sent to/);
      const callback = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
      term.type(callback);
      term.keys('Enter');
      await term.waitFor(/Signed in to acme/);
      await term.waitFor(/EXIT=0/);
    } finally {
      term.close();
      await e.cleanup();
    }
  });

  test('several sites: the picker is shown and answered with the arrow keys; the spinner waits meanwhile', { skip }, async () => {
    const e = await env();
    emu.user.siteIds = ['c-acme', 'c-beta'];
    const term = new TerminalSession(`${node} ${BIN} auth login --callback-port ${e.port}`, { ...e.vars, BROWSER: FAKE_BROWSER });
    try {
      await term.waitFor(/Which Confluence site\?/);
      assert.match(term.screen(), /acme\s+https:\/\/acme\.atlassian\.net/);
      term.keys('Down');
      term.keys('Enter');
      await term.waitFor(/Signed in to beta/);
      await term.waitFor(/EXIT=0/);
    } finally {
      emu.user.siteIds = ['c-acme'];
      term.close();
      await e.cleanup();
    }
  });

  test('Ctrl-C at a prompt exits 130 with one line and no stack trace', { skip }, async () => {
    const e = await env();
    const term = new TerminalSession(`${node} ${BIN} auth login --callback-port ${e.port}`, { ...e.vars, CONFLUENCE_CLIENT_SECRET: '' });
    try {
      await term.waitFor(/Client secret:/);
      term.keys('C-c');
      await term.waitFor(/EXIT=130/);
      const screen = term.screen();
      assert.match(screen, /Cancelled\./);
      assert.doesNotMatch(screen, /at .*\.js:\d+/);
      assert.doesNotMatch(screen, /ExitPromptError/);
    } finally {
      term.close();
      await e.cleanup();
    }
  });
});
