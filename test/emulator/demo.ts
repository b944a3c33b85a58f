/**
 * `npm run demo`: the main job on a fresh machine with no Atlassian account. Starts the emulator,
 * then runs the real CLI — login → status → spaces list → pages search, children, get → logout — against it, in a
 * throwaway home, on real pages from the ADF corpus.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from './server.js';
import { colors, processIO } from '../../src/cli/io.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin', 'confluence-adf.js');
const home = await fs.mkdtemp(path.join(os.tmpdir(), 'confluence-adf-demo-'));
const port = 9000 + Math.floor(Math.random() * 500);
const app = { ...DEFAULT_APP, callbackUrl: `http://localhost:${port}/oauth/callback` };
const emulator = await new AtlassianEmulator({ apps: [app], sites: [{ ...DEFAULT_SITES[0]!, spaceCount: 12 }], autoConsent: true, pages: true }).start();
const env = {
  ...process.env,
  ...emulator.env(app),
  CONFLUENCE_ADF_HOME: home,
  BROWSER: `${process.execPath} ${path.join(root, 'dist/test/support/browser.js')}`,
};

// The CLI's own rule for colour: none in a pipe, with NO_COLOR or TERM=dumb.
const { bold } = colors(processIO(), process.stdout);

function step(title: string, args: string[]): Promise<number> {
  process.stdout.write(`\n${bold(`$ confluence-adf ${args.map((a) => (/[\s()]/.test(a) ? `'${a}'` : a)).join(' ')}`)}   # ${title}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const seeded = emulator.seeded.get(DEFAULT_SITES[0]!.id)!;
// A real page of the ADF corpus, small enough to read in a terminal.
const demoPage = (() => {
  const page = seeded.corpus.find((p) => emulator.pages.current(p).title === 'Confluence page node task list') ?? seeded.corpus[0]!;
  return { url: `${DEFAULT_SITES[0]!.url}/wiki${emulator.pages.webui(page)}` };
})();

process.stdout.write(`confluence-adf demo — against the Atlassian Cloud emulator (no account needed)
  emulated auth.atlassian.com at ${emulator.authUrl}, api.atlassian.com at ${emulator.apiUrl}
  a throwaway home at ${home}; the "browser" is a script that clicks Accept for you.
`);
let failed = 0;
try {
  for (const [title, args] of [
    ['sign in through the browser (OAuth 2.0 + PKCE)', ['auth', 'login', '--callback-port', String(port)]],
    ['who is signed in, where tokens live, does the token work', ['auth', 'status']],
    ['the first page of spaces', ['spaces', 'list', '--limit', '5']],
    ['every space, as JSON, following the cursor', ['spaces', 'list', '--all', '--limit', '5', '--json']],
    ['find pages by their words (CQL built and escaped for you)', ['pages', 'search', '--text', 'decision', '--space', 'ENG', '--limit', '5']],
    ['the tree below the space home page', ['pages', 'children', seeded.home.id, '--depth', '1']],
    ['a real page, by its browser address, as Markdown with front matter', ['pages', 'get', demoPage.url]],
    ['change a phrase on it: only that text node changes, marks and every other block stay as they were', ['pages', 'edit', demoPage.url, '--find', 'item 3.1.1', '--replace-text', 'item 3.1.1 (edited by the demo)']],
    ['the page again: version 2, the edit in place', ['pages', 'get', demoPage.url]],
    ['sign out: local copies removed, revocation tried', ['auth', 'logout']],
  ] as const) {
    const code = await step(title, [...args]);
    if (code !== 0) {
      failed = code;
      break;
    }
  }
} finally {
  await emulator.stop();
  await fs.rm(home, { recursive: true, force: true });
}
process.stdout.write(failed ? `\nThe demo stopped at a failing step (exit ${failed}).\n` : '\nDone. Point it at your real Atlassian app with the README\'s setup steps.\n');
process.exitCode = failed;
