/**
 * Pins the emulator's page writes to ../shared/confluence-pages.md with plain fetch and no project
 * code: the version rule and its 409 body, unique titles, 413, structurally broken ADF refused while
 * real pages' attribute quirks pass, every version kept, every write recorded.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator, DEFAULT_APP, DEFAULT_SITES } from './server.js';
import { MAX_WRITE_BYTES, structuralError } from './page-writes.js';
import { corpusDocuments } from './pages.js';

describe('emulator: page writes', () => {
  const emu = new AtlassianEmulator({ pages: true });
  const site = DEFAULT_SITES[0]!;
  let token = '';
  const base = () => `${emu.apiUrl}/ex/confluence/${site.id}/wiki/api/v2/pages`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
  const value = (doc: unknown) => ({ representation: 'atlas_doc_format', value: JSON.stringify(doc) });

  before(async () => {
    await emu.start();
    token = emu.issueGrant(DEFAULT_APP.clientId).accessToken;
  });
  after(() => emu.stop());

  test('create, then update at current + 1; a stale version gets the 409 Atlassian sends; every version is kept', async () => {
    const spaceId = emu.seeded.get(site.id)!.space.id;
    const created = await call('POST', '', { spaceId, status: 'current', title: 'Write test', body: value(adf('one')) });
    assert.equal(created.status, 200);
    assert.equal(created.body.version.number, 1);
    const id = created.body.id as string;
    const v2 = await call('PUT', `/${id}`, { id, status: 'current', title: 'Write test', body: value(adf('two')), version: { number: 2, message: 'second' } });
    assert.equal(v2.status, 200);
    assert.equal(v2.body.version.number, 2);
    assert.deepEqual(JSON.parse(v2.body.body.atlas_doc_format.value), adf('two'));
    const stale = await call('PUT', `/${id}`, { id, status: 'current', title: 'Write test', body: value(adf('late')), version: { number: 2 } });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.body, {
      errors: [{ status: 409, code: 'CONFLICT', title: 'Version must be incremented when updating a page. Current Version: [2]. Provided version: [2]', detail: null }],
    });
    const old = await fetch(`${base()}/${id}?body-format=atlas_doc_format&version=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(JSON.parse(((await old.json()) as any).body.atlas_doc_format.value), adf('one'));
    const writes = emu.pages.writes.filter((w) => w.pageId === id);
    assert.deepEqual(writes.map((w) => [w.method, w.status, w.sentVersion]), [['POST', 200, undefined], ['PUT', 200, 2], ['PUT', 409, 2]]);
  });

  test('titles are unique within a space (400), free across spaces', async () => {
    const seeded = emu.seeded.get(site.id)!;
    const dup = await call('POST', '', { spaceId: seeded.space.id, status: 'current', title: 'Engineering Home', body: value(adf('x')) });
    assert.equal(dup.status, 400);
    assert.match(dup.body.errors[0].title, /already exists with the same TITLE/);
    const ops = emu.pages.spaceByKey(site.id, 'OPS')!;
    assert.equal((await call('POST', '', { spaceId: ops.id, status: 'current', title: 'Engineering Home', body: value(adf('x')) })).status, 200);
  });

  test('over 5 MB is a 413; broken structure is a 400 in the v2 envelope and writes nothing', async () => {
    const home = emu.seeded.get(site.id)!.home;
    const versions = home.versions.length;
    const big = await call('PUT', `/${home.id}`, { id: home.id, status: 'current', title: 'Engineering Home', body: value(adf('x'.repeat(MAX_WRITE_BYTES))), version: { number: versions + 1 } });
    assert.equal(big.status, 413);
    const nested = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'in' }] }] }] };
    const broken = await call('PUT', `/${home.id}`, { id: home.id, status: 'current', title: 'Engineering Home', body: value(nested), version: { number: versions + 1 } });
    assert.equal(broken.status, 400);
    assert.match(broken.body.errors[0].title, /Invalid ADF/);
    assert.match(broken.body.errors[0].detail, /content\[0\]\.content\[0\]: a paragraph cannot be inside/);
    assert.equal(home.versions.length, versions);
  });

  test('structure rules: empty text and unknown blocks refused; quirks of real pages and every corpus page accepted', () => {
    assert.match(structuralError({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] })!, /non-empty text/);
    assert.match(structuralError({ type: 'doc', version: 1, content: [{ type: 'frobnicator' }] })!, /unknown node type "frobnicator"/);
    assert.match(structuralError({ type: 'doc', version: 1, content: [{ type: 'text', text: 'loose' }] })!, /cannot stand where a block must/);
    assert.equal(structuralError({ type: 'doc', version: 1, content: [{ type: 'codeBlock', attrs: { language: null, __legacy: 1 }, content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'h', __confluenceMetadata: {} } }] }] }] }), undefined);
    const refused = corpusDocuments().filter((d) => structuralError(d.doc, new Set(['notapanel'])) !== undefined).map((d) => d.name);
    assert.deepEqual(refused, []);
  });

  test('a write needs write:page:confluence', async () => {
    const grant = emu.issueGrant(DEFAULT_APP.clientId, ['read:page:confluence']);
    const res = await fetch(base(), { method: 'POST', headers: { authorization: `Bearer ${grant.accessToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
  });
});
