/** The MCP read tools from the built `serve --mcp`, driven by a real MCP client over stdio, on real pages. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator } from '../emulator/server.js';
import type { SeededPages } from '../emulator/pages.js';
import { BIN } from '../support/cli.js';
import { signedInHome } from '../support/core.js';
import { pageChildrenSchema, pageReadSchema, pagesSearchSchema } from '../../src/mcp/schemas.js';

const emu = new AtlassianEmulator({ pages: true });
let s: Awaited<ReturnType<typeof signedInHome>>;
let seeded: SeededPages;
let client: Client;
before(async () => {
  await emu.start();
  s = await signedInHome(emu);
  seeded = emu.seeded.values().next().value!;
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--mcp'], env: { PATH: process.env.PATH!, ...s.env }, stderr: 'pipe' });
  client = new Client({ name: 'confluence-adf-tests', version: '1.0.0' });
  await client.connect(transport);
});
after(async () => {
  await client.close();
  await s.cleanup();
  await emu.stop();
});

type Result = Awaited<ReturnType<Client['callTool']>>;
const text = (r: Result) => (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
const size = (r: Result) => text(r).length + JSON.stringify(r.structuredContent ?? {}).length;
const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

describe('page_read', () => {
  test('a 170 KB page: the answer stays under budget, gives the outline, and reads on to the whole page', async () => {
    const first = await call('page_read', { page: seeded.huge.id });
    assert.ok(!first.isError, text(first));
    const facts = pageReadSchema.parse(first.structuredContent);
    assert.ok(text(first).length < 20_000, `text ${text(first).length}`);
    assert.ok(JSON.stringify(first.structuredContent).length < 20_000, `structured ${JSON.stringify(first.structuredContent).length}`);
    assert.equal(facts.truncated, true);
    assert.ok(facts.outline.length > 5 && facts.outline.every((h) => h.chars > 0));
    assert.match(text(first), /call page_read with page "\d+" and offset \d+/);
    let markdown = facts.markdown!;
    let next = facts.nextOffset;
    let calls = 1;
    while (next !== null) {
      const part = pageReadSchema.parse((await call('page_read', { page: seeded.huge.id, offset: next })).structuredContent);
      markdown += part.markdown!;
      next = part.nextOffset;
      assert.ok(++calls < 100);
    }
    assert.equal(markdown.length, facts.totalChars, 'the parts join into the whole page');
  });

  test('section returns only that part; a section that does not exist lists the headings to use', async () => {
    const first = pageReadSchema.parse((await call('page_read', { page: seeded.huge.id })).structuredContent);
    const heading = first.outline.find((h) => h.level === 2)!;
    const part = await call('page_read', { page: seeded.huge.id, section: heading.text });
    const facts = pageReadSchema.parse(part.structuredContent);
    assert.ok(facts.markdown!.startsWith(`## ${heading.text}`), facts.markdown!.slice(0, 80));
    assert.ok(facts.totalChars < first.totalChars);
    const missing = await call('page_read', { page: seeded.huge.id, section: 'No such heading' });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /No heading reads "No such heading"/);
    assert.match(text(missing), /Call page_read with section set to one of the headings: /);
    assert.ok(text(missing).includes(JSON.stringify(first.outline[0]!.text)));
  });

  test('a URL works as a page; version and format adf read the stored document of an older version', async () => {
    const arch = emu.pages.pagesOf(seeded.space.siteId).find((p) => p.versions.length > 1)!;
    const r = await call('page_read', { page: `https://acme.atlassian.net/wiki/spaces/ENG/pages/${arch.id}/Architecture`, version: 1, format: 'adf' });
    const facts = pageReadSchema.parse(r.structuredContent);
    assert.equal(facts.version, 1);
    assert.deepEqual(JSON.parse(facts.adf!), arch.versions[0]!.body);
  });

  test('a missing page is an isError result with a next step in tool terms', async () => {
    const r = await call('page_read', { page: '424242' });
    assert.equal(r.isError, true);
    assert.match(text(r), /Page 424242 was not found/);
    assert.match(text(r), /pages_search/);
  });

  test('a title with control characters comes back without them', async () => {
    const r = await call('page_read', { page: seeded.hostileTitle.id });
    assert.equal(pageReadSchema.parse(r.structuredContent).title, 'Release [31mnotes[0m 2026');
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text(r)));
  });
});

describe('pages_search and page_children', () => {
  test('pages_search finds pages by words and pages by CQL, with a cursor for more', async () => {
    const r = await call('pages_search', { text: 'quarterly plan', space: 'ENG' });
    const facts = pagesSearchSchema.parse(r.structuredContent);
    assert.deepEqual(facts.results.map((h) => h.title), ['Architecture']);
    assert.match(facts.results[0]!.excerpt, /quarterly plan/);
    const paged = pagesSearchSchema.parse((await call('pages_search', { cql: 'space = "ENG"', limit: 2 })).structuredContent);
    assert.equal(paged.results.length, 2);
    assert.ok(paged.nextCursor);
    const rest = pagesSearchSchema.parse((await call('pages_search', { cql: 'space = "ENG"', limit: 2, cursor: paged.nextCursor })).structuredContent);
    assert.notDeepEqual(rest.results.map((h) => h.id), paged.results.map((h) => h.id));
    const empty = await call('pages_search', {});
    assert.equal(empty.isError, true);
    assert.match(text(empty), /Give cql, or at least one of text, title, space/);
    assert.ok(size(r) < 20_000);
  });

  test('page_children lists the tree below a page with depth and parent', async () => {
    const r = await call('page_children', { page: seeded.home.id, depth: 2 });
    const facts = pageChildrenSchema.parse(r.structuredContent);
    const decision = facts.results.find((p) => p.title === 'Decision log')!;
    assert.equal(decision.depth, 2);
    assert.equal(facts.results.find((p) => p.id === decision.parentId)!.title, 'Architecture');
    assert.ok(facts.results.filter((p) => p.depth === 1).length >= 4);
  });
});
