/** page_create, page_update and page_edit through a real MCP client and the built server, on the emulator's real pages. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AtlassianEmulator, DEFAULT_SITES } from '../emulator/server.js';
import { BIN } from '../support/cli.js';
import { signedInHome } from '../support/core.js';
import { renderDoc } from '../../src/core/adf/to-markdown.js';
import type { AdfDoc } from '../../src/core/adf/types.js';
import { pageWriteSchema } from '../../src/mcp/page-writes.js';

const site = DEFAULT_SITES[0]!;
type Result = Awaited<ReturnType<Client['callTool']>>;
const text = (r: Result) => (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');

describe('MCP page write tools', () => {
  const emu = new AtlassianEmulator({ pages: true });
  let client: Client;
  let cleanup: () => Promise<void>;
  before(async () => {
    await emu.start();
    const s = await signedInHome(emu);
    cleanup = s.cleanup;
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve', '--mcp'], env: { PATH: process.env.PATH!, ...s.env } });
    client = new Client({ name: 'page-tools-test', version: '1.0.0' });
    await client.connect(transport);
  });
  after(async () => {
    await client.close();
    await cleanup();
    await emu.stop();
  });

  const architecture = () => emu.pages.pagesOf(site.id).find((p) => emu.pages.current(p).title === 'Architecture')!;
  const stored = () => emu.pages.current(architecture()).body as AdfDoc;
  const edited = (k: number, words: string) => {
    const { blocks } = renderDoc(stored());
    blocks[k] = `${blocks[k]} ${words}`;
    return blocks.join('\n\n');
  };

  test('the write tools say they are destructive (create is not) and need expectedVersion to update', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    assert.equal(byName.page_update!.annotations!.destructiveHint, true);
    assert.equal(byName.page_edit!.annotations!.destructiveHint, true);
    assert.equal(byName.page_create!.annotations!.destructiveHint, false);
    assert.deepEqual((byName.page_update!.inputSchema as { required?: string[] }).required?.sort(), ['expectedVersion', 'page']);
    assert.match(byName.page_update!.description!, /On conflict/);
  });

  test('page_update merges a change made since, and a clash is an isError naming the section and the current version', async () => {
    const page = architecture();
    const base = emu.pages.current(page).number;
    const mine = edited(1, 'Reviewed.');
    const theirs = await client.callTool({ name: 'page_update', arguments: { page: page.id, expectedVersion: base, markdown: edited(3, 'Plus billing.') } });
    assert.ok(!theirs.isError, text(theirs));
    const merged = await client.callTool({ name: 'page_update', arguments: { page: page.id, expectedVersion: base, markdown: mine } });
    assert.ok(!merged.isError, text(merged));
    const result = pageWriteSchema.parse(merged.structuredContent);
    assert.equal(result.version, base + 2);
    assert.equal(result.merged, true);
    assert.match(JSON.stringify(stored()), /Plus billing\..*Reviewed\.|Reviewed\..*Plus billing\./s);

    const writes = emu.pages.writes.length;
    const clash = await client.callTool({ name: 'page_update', arguments: { page: page.id, expectedVersion: base, markdown: edited(3, 'Minus billing.') } });
    assert.equal(clash.isError, true);
    assert.match(text(clash), /section "Services"/);
    assert.match(text(clash), new RegExp(`current version ${base + 2}`));
    assert.match(text(clash), /VERSION_CONFLICT/);
    assert.equal(emu.pages.writes.length, writes);
  });

  test('page_edit: dryRun returns the diff and writes nothing; the edit then writes only that', async () => {
    const page = architecture();
    const before = structuredClone(stored());
    const writes = emu.pages.writes.length;
    const edits = [{ op: 'findReplace', find: 'quarterly plan', replace: 'yearly plan' }, { op: 'appendToSection', heading: 'Services', markdown: 'And a cache.' }];
    const dry = await client.callTool({ name: 'page_edit', arguments: { page: page.id, edits, dryRun: true } });
    assert.ok(!dry.isError, text(dry));
    assert.equal(emu.pages.writes.length, writes);
    assert.equal(pageWriteSchema.parse(dry.structuredContent).changes.length, 2);
    const done = await client.callTool({ name: 'page_edit', arguments: { page: page.id, edits } });
    assert.ok(!done.isError, text(done));
    assert.deepEqual(pageWriteSchema.parse(done.structuredContent).counts, [1, 1]);
    const after = stored();
    assert.deepEqual(after.content[0], before.content[0]);
    assert.match(JSON.stringify(after.content[1]), /yearly plan/);
    assert.match(JSON.stringify(after.content.at(-1)), /And a cache\./);
    const missing = await client.callTool({ name: 'page_edit', arguments: { page: page.id, edits: [{ op: 'deleteSection', heading: 'Nowhere' }] } });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /Overview/);
  });

  test('page_create: a new page named by id, version and URL', async () => {
    const created = await client.callTool({ name: 'page_create', arguments: { space: 'ENG', title: 'Made by an assistant', markdown: '# Plan\n\n- one\n- two\n' } });
    assert.ok(!created.isError, text(created));
    const result = pageWriteSchema.parse(created.structuredContent);
    assert.equal(result.version, 1);
    assert.match(result.url!, /\/wiki\/spaces\/ENG\/pages\//);
    assert.equal(emu.pages.current(emu.pages.getPage(site.id, result.id)!).body.content!.length, 2);
  });
});
