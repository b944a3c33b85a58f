/** `pages get | search | children` from the built CLI against the emulator's real pages. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from '../emulator/server.js';
import { tinyFor, type SeededPages } from '../emulator/pages.js';
import { runCli } from '../support/cli.js';
import { coreFor, signedInHome } from '../support/core.js';
import { memoryKeyring } from '../support/memory-keyring.js';
import { splitFrontMatter } from '../../src/core/adf/front-matter.js';

const BETA = { id: '22222222-bbbb-4ccc-8ddd-000000000002', name: 'beta', url: 'https://beta.atlassian.net', spaceCount: 3 };
const emu = new AtlassianEmulator({ pages: true, sites: [DEFAULT_SITES[0]!, BETA] });
emu.user.siteIds.push(BETA.id);
let s: Awaited<ReturnType<typeof signedInHome>>;
let acme: SeededPages;
let beta: SeededPages;
before(async () => {
  await emu.start();
  s = await signedInHome(emu);
  // This login reaches both sites, as one that consented to both would.
  const store = coreFor(s.home, emu).store;
  const login = (await store.read())!;
  login.record.sites.push({ cloudId: BETA.id, name: BETA.name, url: BETA.url });
  await store.write(login);
  acme = emu.seeded.get(DEFAULT_SITES[0]!.id)!;
  beta = emu.seeded.get(BETA.id)!;
  // The second site's page with the same id as none on the first: proves the address picked the site.
  emu.pages.putVersion(BETA.id, beta.home.id, { title: 'Beta home, edited' });
});
after(async () => {
  await s.cleanup();
  await emu.stop();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: { ...s.env, ...env } });
const architecture = () => emu.pages.pagesOf(DEFAULT_SITES[0]!.id).find((p) => emu.pages.current(p).title === 'Architecture')!;

describe('pages get', () => {
  test('Markdown starts with front matter: id, title, space key, version, url, parent', async () => {
    const page = architecture();
    const r = await cli(['pages', 'get', page.id]);
    assert.equal(r.code, 0, r.stderr);
    const { meta, body } = splitFrontMatter(r.stdout);
    assert.deepEqual(meta, { id: page.id, title: 'Architecture', space: 'ENG', version: 2, url: `https://acme.atlassian.net/wiki/spaces/ENG/pages/${page.id}/Architecture`, parent: acme.home.id });
    assert.match(body, /^# Overview\n\nThe quarterly plan covers the gateway and the indexer\./);
  });

  test('--version N reads an older version; --format adf prints the stored document; --json carries both', async () => {
    const page = architecture();
    const old = await cli(['pages', 'get', page.id, '--version', '1', '--format', 'adf']);
    assert.equal(old.code, 0, old.stderr);
    assert.deepEqual(JSON.parse(old.stdout), page.versions[0]!.body);
    const json = await cli(['pages', 'get', page.id, '--json', '--format', 'adf']);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.version.number, 2);
    assert.equal(parsed.spaceKey, 'ENG');
    assert.deepEqual(parsed.body, page.versions[1]!.body);
    const missing = await cli(['pages', 'get', page.id, '--version', '9']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`Version 9 of page ${page.id} was not found`));
  });

  test('every shape of page address works, and the address picks the site', async () => {
    const page = architecture();
    const shapes = [
      `https://acme.atlassian.net/wiki/spaces/ENG/pages/${page.id}/Architecture`,
      `https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=${page.id}`,
      `https://acme.atlassian.net/wiki/spaces/ENG/pages/edit-v2/${page.id}`,
      `https://acme.atlassian.net/wiki/pages/resumedraft.action?draftId=${page.id}`,
      `https://acme.atlassian.net/wiki/x/${tinyFor(page.id)}`,
    ];
    for (const address of shapes) {
      const r = await cli(['pages', 'get', address, '--json', '--format', 'adf']);
      assert.equal(r.code, 0, `${address}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).id, page.id, address);
    }
    const other = await cli(['pages', 'get', `https://beta.atlassian.net/wiki/spaces/ENG/pages/${beta.home.id}/Home`, '--json', '--format', 'adf']);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(JSON.parse(other.stdout).title, 'Beta home, edited');
    assert.equal(JSON.parse(other.stdout).site.url, 'https://beta.atlassian.net');
    const unknown = await cli(['pages', 'get', 'https://gamma.atlassian.net/wiki/spaces/ENG/pages/1/X']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No site matching "gamma.atlassian.net"/);
    const notAPage = await cli(['pages', 'get', 'https://acme.atlassian.net/wiki/display/ENG/Architecture']);
    assert.equal(notAPage.code, 2);
    assert.match(notAPage.stderr, /page id/);
  });

  test('a missing page is named in the error (exit 1); v1 content is never asked for', async () => {
    const before = emu.requests.length;
    const r = await cli(['pages', 'get', '424242']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Page 424242 was not found on acme/);
    assert.ok(emu.requests.slice(before).every((q) => !q.path.includes('/rest/api/content')));
  });

  test('a missing scope names the scope to add', async () => {
    const home = await signedInHome(emu, memoryKeyring(false));
    try {
      const grant = emu.issueGrant(DEFAULT_APP.clientId, DEFAULT_APP.scopes.filter((x) => x !== 'read:page:confluence' && x !== 'search:confluence'));
      const env = { ...home.env, CONFLUENCE_ACCESS_TOKEN: grant.accessToken, CONFLUENCE_CLOUD_ID: DEFAULT_SITES[0]!.id };
      const get = await runCli(['pages', 'get', acme.home.id], { env });
      assert.equal(get.code, 1);
      assert.match(get.stderr, /Missing scope read:page:confluence/);
      const search = await runCli(['pages', 'search', '--text', 'plan'], { env });
      assert.match(search.stderr, /Missing scope search:confluence/);
    } finally {
      await home.cleanup();
    }
  });

  test('a huge real page arrives whole, written atomically to --output', async () => {
    const dir = await fs.mkdtemp(path.join(s.home, 'out-'));
    const file = path.join(dir, 'huge.json');
    const r = await cli(['pages', 'get', acme.huge.id, '--format', 'adf', '--output', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const stored = emu.pages.current(acme.huge).body;
    assert.ok(JSON.stringify(stored).length >= 170_000);
    assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')), stored);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['huge.json'], 'no temp file left');
    assert.match(r.stderr, /Wrote ".*" \(version 1, adf\) to /);
    const md = await cli(['pages', 'get', acme.huge.id]);
    assert.equal(md.code, 0, md.stderr);
    assert.ok(md.stdout.length > 5_000);
  });
});

describe('pages search', () => {
  test('--text and --space find the pages that match, as a table or as JSON', async () => {
    const r = await cli(['pages', 'search', '--text', 'quarterly plan', '--space', 'ENG', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const hits = JSON.parse(r.stdout) as { id: string; title: string; space: string; url: string }[];
    assert.deepEqual(hits.map((h) => h.title), ['Architecture']);
    assert.equal(hits[0]!.space, 'ENG');
    assert.equal(hits[0]!.url, `https://acme.atlassian.net/wiki/spaces/ENG/pages/${architecture().id}/Architecture`);
    const table = await cli(['pages', 'search', 'label = "runbook"']);
    assert.match(table.stdout, /^\d+\tOn-call runbook\tOPS\t\d{4}-\d\d-\d\d\thttps:\/\/acme\.atlassian\.net\/wiki\/spaces\/OPS\/pages\//);
  });

  test('a quote in a flag value is searched for, not executed', async () => {
    const r = await cli(['pages', 'search', '--title', 'x" OR type = "page', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
    const sent = emu.requestsTo('api', '/ex/confluence/').filter((q) => q.path.endsWith('/rest/api/search')).pop()!;
    assert.equal(sent.query.get('cql'), 'type = page AND title ~ "x\\" OR type = \\"page" ORDER BY lastmodified DESC');
  });

  test('--all follows the cursor over more than 250 hits, each exactly once', async () => {
    const site = DEFAULT_SITES[0]!.id;
    emu.pages.addSpace(site, 'BULK', 'Bulk');
    for (let i = 0; i < 620; i++) emu.pages.addPage(site, { space: 'BULK', title: `Bulk page ${i}`, body: { type: 'doc', version: 1, content: [] } });
    const r = await cli(['pages', 'search', '--space', 'BULK', '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((h) => h.id);
    assert.equal(ids.length, 620);
    assert.equal(new Set(ids).size, 620);
    const one = await cli(['pages', 'search', '--space', 'BULK', '--limit', '10']);
    assert.equal(one.stdout.trim().split('\n').length, 10);
    const cursor = /--cursor (\S+)/.exec(one.stderr)?.[1];
    assert.ok(cursor, one.stderr);
    const next = await cli(['pages', 'search', '--space', 'BULK', '--limit', '10', '--cursor', cursor, '--json']);
    assert.equal(JSON.parse(next.stdout).length, 10);
  });

  test('broken CQL is Confluence\'s own message, exit 1', async () => {
    const r = await cli(['pages', 'search', 'type = page AND (']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Could not parse cql/);
  });
});

describe('pages children and control characters', () => {
  test('the tree below a page is drawn; --depth 1 stops at children; --json nests', async () => {
    const r = await cli(['pages', 'children', acme.home.id]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^Engineering Home {2}\d+$/);
    assert.ok(lines.some((l) => /^├── Architecture {2}\d+$/.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^│ {3}└── Decision log {2}\d+$/.test(l)), r.stdout);
    const shallow = await cli(['pages', 'children', acme.home.id, '--depth', '1', '--json']);
    const tree = JSON.parse(shallow.stdout) as { children: { title: string; children: unknown[] }[] };
    assert.ok(tree.children.length >= 4);
    assert.ok(tree.children.every((c) => c.children.length === 0));
  });

  test('control characters in titles never reach the terminal: tree, table, messages', async () => {
    const outputs = [
      await cli(['pages', 'children', acme.home.id]),
      await cli(['pages', 'search', '--title', 'Release']),
      await cli(['pages', 'get', acme.hostileTitle.id, '--output', path.join(s.home, 'hostile.md')]),
    ];
    for (const r of outputs) {
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(r.stdout + r.stderr), JSON.stringify(r.stdout + r.stderr));
    }
    assert.match(outputs[1]!.stdout, /Release \[31mnotes\[0m 2026/);
    // The file keeps the title as stored, escaped by YAML.
    const { meta } = splitFrontMatter(await fs.readFile(path.join(s.home, 'hostile.md'), 'utf8'));
    assert.equal(meta.title, 'Release \u001b[31mnotes\u001b[0m\u0007 2026');
  });
});
