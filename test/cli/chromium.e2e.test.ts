/** A real `auth login` finished in Debian's Chromium, driven by playwright-core: Accept, then the success page. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { AtlassianEmulator } from '../emulator/server.js';
import { BIN, ROOT, freePort, tempHome } from '../support/cli.js';
import { requirement } from '../support/requirements.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = requirement(fs.existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`);

async function waitForFile(file: string, ms: number): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${file} never appeared`);
}

// Each test carries the skip, not the suite, so a local run counts and names every test it did not run.
describe('login in a real browser', () => {
  const emu = new AtlassianEmulator();
  before(() => emu.start());
  after(() => emu.stop());

  test('the consent page gets Accept clicked and the tab ends on "Authentication Successful!"', { skip }, async () => {
    const { chromium } = await import('playwright-core');
    const { home, cleanup } = await tempHome();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const port = await freePort();
      const app = emu.registerApp({ callbackUrl: `http://localhost:${port}/oauth/callback` });
      const urlFile = path.join(home, 'url.txt');
      const child = spawn(process.execPath, [BIN, 'auth', 'login', '--callback-port', String(port), '--timeout', '60'], {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          CONFLUENCE_ADF_HOME: home,
          ...emu.env(app),
          BROWSER: `${process.execPath} ${path.join(ROOT, 'dist/test/support/record-url.js')}`,
          RECORDED_URL_FILE: urlFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

      const page = await browser.newPage();
      await page.goto(await waitForFile(urlFile, 20_000));
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.waitForURL(new RegExp(`localhost:${port}/oauth/callback`));
      assert.equal(await page.title(), 'Authentication Successful!');
      assert.match(await page.textContent('body') ?? '', /signed in to acme as Ada Lovelace/);
      await page.screenshot({ path: path.join(ROOT, 'dist', 'login-success.png') });
      assert.equal(await exited, 0, stderr);
      assert.match(stderr, /Signed in to acme/);
    } finally {
      await browser.close();
      await cleanup();
    }
  });
});
