/** The emulator's page contract, over HTTP: what the client is tested against must behave like Confluence. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from './server.js';
import type { SeededPages } from './pages.js';

const emu = new AtlassianEmulator({ pages: true });
const site = DEFAULT_SITES[0]!.id;
let seeded: SeededPages;
let token: string;
before(async () => {
  await emu.start();
  seeded = emu.seeded.get(site)!;
  token = emu.issueGrant(DEFAULT_APP.clientId).accessToken;
});
after(() => emu.stop());

async function get(path: string, bearer = token): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await fetch(`${emu.apiUrl}/ex/confluence/${site}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: r.status, body: await r.json(), headers: r.headers };
}

test('a page: the body is an ADF JSON string; version=N reads an older one; every version is kept', async () => {
  const arch = emu.pages.pagesOf(site).find((p) => p.versions.length === 2)!;
  const now = await get(`/wiki/api/v2/pages/${arch.id}?body-format=atlas_doc_format&include-version=true`);
  assert.equal(now.status, 200);
  assert.equal(typeof now.body.body.atlas_doc_format.value, 'string');
  assert.deepEqual(JSON.parse(now.body.body.atlas_doc_format.value), arch.versions[1]!.body);
  assert.equal(now.body.version.number, 2);
  assert.equal(now.body.spaceId, seeded.space.id);
  assert.match(now.body._links.webui, new RegExp(`^/spaces/ENG/pages/${arch.id}/`));
  const old = await get(`/wiki/api/v2/pages/${arch.id}?body-format=atlas_doc_format&version=1`);
  assert.deepEqual(JSON.parse(old.body.body.atlas_doc_format.value), arch.versions[0]!.body);
  const bare = await get(`/wiki/api/v2/pages/${arch.id}`);
  assert.deepEqual(bare.body.body, {}, 'no body unless a body-format is asked for');
  const versions = await get(`/wiki/api/v2/pages/${arch.id}/versions`);
  assert.deepEqual(versions.body.results.map((v: { number: number }) => v.number), [2, 1]);
});

test('404 bodies name the missing page; v1 content answers 410; unknown paths stay loud', async () => {
  const missing = await get('/wiki/api/v2/pages/424242');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.errors[0].detail, 'Page 424242 was not found.');
  assert.equal((await get('/wiki/rest/api/content/123?expand=body.atlas_doc_format')).status, 410);
  assert.equal((await get('/wiki/rest/api/space')).status, 410);
  assert.equal((await get(`/wiki/api/v2/pages/${seeded.home.id}/footer-comments`)).status, 599);
});

test('scopes are checked per endpoint', async () => {
  const without = (scope: string) => emu.issueGrant(DEFAULT_APP.clientId, DEFAULT_APP.scopes.filter((s) => s !== scope)).accessToken;
  const cases: [string, string][] = [
    ['read:page:confluence', `/wiki/api/v2/pages/${seeded.home.id}`],
    ['read:page:confluence', `/wiki/api/v2/pages/${seeded.home.id}/descendants`],
    ['read:space:confluence', `/wiki/api/v2/spaces/${seeded.space.id}`],
    ['search:confluence', '/wiki/rest/api/search?cql=type%3Dpage'],
  ];
  for (const [scope, path] of cases) {
    const r = await get(path, without(scope));
    assert.equal(r.status, 401, path);
    assert.equal(r.headers.get('x-failure-category'), 'FAILURE_CLIENT_SCOPE_CHECK', path);
    assert.equal((await get(path)).status, 200, path);
  }
});

test('search: the CQL subset, ORDER BY lastmodified, a page size capped at 250, cursors', async () => {
  emu.pages.addSpace(site, 'CAP', 'Cap');
  for (let i = 0; i < 300; i++) emu.pages.addPage(site, { space: 'CAP', title: `Cap ${i}`, body: { type: 'doc', version: 1, content: [] }, labels: i % 2 ? ['odd'] : [] });
  const q = (cql: string, extra = '') => get(`/wiki/rest/api/search?cql=${encodeURIComponent(cql)}${extra}`);
  const capped = await q('space = CAP', '&limit=1000');
  assert.equal(capped.body.results.length, 250);
  assert.equal(capped.body.totalSize, 300);
  const cursor = new URL(capped.body._links.next, 'https://x').searchParams.get('cursor');
  const rest = await q('space = CAP', `&limit=1000&cursor=${cursor}`);
  assert.equal(rest.body.results.length, 50);
  assert.equal(rest.body._links.next, undefined);
  assert.equal((await q('space = CAP AND label = "odd"')).body.totalSize, 150);
  assert.equal((await q('space = CAP AND (title ~ "Cap 7" OR title ~ "Cap 8")')).body.results.length > 0, true);
  const under = await q(`ancestor = ${seeded.home.id} AND type = page`, '&limit=250');
  assert.ok(under.body.results.some((r: any) => r.title === 'Decision log'), 'grandchildren are under an ancestor');
  emu.pages.putVersion(site, seeded.home.id, { title: 'Engineering Home' });
  const newest = await q('space = ENG ORDER BY lastmodified DESC', '&limit=1');
  assert.equal(newest.body.results[0].content.id, seeded.home.id);
  assert.equal((await q('title ~ ')).status, 400);
});
