/**
 * The laws of writing, on the real pages of the ADF corpus uploaded to the emulator: an unchanged
 * update writes nothing; one edited paragraph changes exactly that block; concurrent writers on
 * different blocks both land, on the same block they conflict and nothing is lost; an invalid
 * document sends no write; section edits and find/replace leave the rest identical.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AtlassianEmulator, DEFAULT_SITES } from '../emulator/server.js';
import type { PageRecord } from '../emulator/pages.js';
import { coreFor, seedLogin } from '../support/core.js';
import { tempHome } from '../support/cli.js';
import type { Core } from '../../src/core/core.js';
import { PageWriter, loadDocTools } from '../../src/core/page-writer.js';
import { renderDoc } from '../../src/core/adf/to-markdown.js';
import { toMarkdown } from '../../src/core/adf/index.js';
import type { AdfDoc } from '../../src/core/adf/types.js';
import { AppError } from '../../src/core/errors.js';

const site = DEFAULT_SITES[0]!;

async function rejects(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

/** The Markdown of a document with top-level block `k` given an extra sentence. */
function editedMarkdown(doc: AdfDoc, k: number, words: string): string {
  const { blocks } = renderDoc(doc);
  blocks[k] = `${blocks[k]} ${words}`;
  return `${blocks.join('\n\n')}\n`;
}

/** Top-level paragraphs whose Markdown is plain prose (an edit there stays in that block). */
function plainParagraphs(doc: AdfDoc): number[] {
  const { blocks } = renderDoc(doc);
  return doc.content.flatMap((b, i) => {
    const md = blocks[i]!;
    return b.type === 'paragraph' && md.trim() !== '' && !md.startsWith(':') && !md.includes('::') && !/[\\ ]$/.test(md) ? [i] : [];
  });
}

describe('page writer on the real pages of the corpus', () => {
  const emu = new AtlassianEmulator({ pages: true });
  let core: Core;
  let cleanup: () => Promise<void>;
  let corpus: PageRecord[];
  const stored = (page: PageRecord) => emu.pages.current(page).body as AdfDoc;
  const puts = (page: PageRecord) => emu.pages.writes.filter((w) => w.pageId === page.id && w.method === 'PUT').length;

  before(async () => {
    await emu.start();
    ({ cleanup } = await tempHome().then(async (t) => {
      core = coreFor(t.home, emu);
      await seedLogin(core, emu, Date.now());
      return t;
    }));
    corpus = emu.seeded.get(site.id)!.corpus;
  });
  after(async () => {
    await emu.stop();
    await cleanup();
  });

  test('get → update with no change writes nothing, on every page', async () => {
    const writer = await core.writer();
    for (const page of corpus) {
      const got = await core.pages.get(await core.pages.resolve(page.id));
      const before = structuredClone(stored(page));
      const result = await writer.update({ page: page.id, body: { markdown: toMarkdown(got.adf!) }, baseVersion: got.version!.number });
      assert.equal(result.written, false, page.id);
      assert.equal(puts(page), 0);
      assert.deepEqual(stored(page), before);
    }
  });

  test('editing one paragraph changes exactly that block; macros, media, anchors elsewhere unchanged', async () => {
    const writer = await core.writer();
    let edited = 0;
    for (const page of corpus) {
      const doc = structuredClone(stored(page));
      const [k] = plainParagraphs(doc);
      if (k === undefined) continue;
      const version = emu.pages.current(page).number;
      const result = await writer.update({ page: page.id, body: { markdown: editedMarkdown(doc, k, 'Edited here.') }, baseVersion: version });
      assert.equal(result.written, true);
      assert.equal(result.version, version + 1);
      const after = stored(page);
      assert.equal(after.content.length, doc.content.length, page.id);
      after.content.forEach((block, i) => (i === k ? assert.notDeepEqual(block, doc.content[i]) : assert.deepEqual(block, doc.content[i], `${page.id} block ${i}`)));
      assert.match(JSON.stringify(after.content[k]), /Edited here\./);
      edited++;
    }
    assert.ok(edited >= 10, `only ${edited} corpus pages had a plain paragraph to edit`);
  });

  test('concurrent writers: different blocks both land; the same block conflicts, nothing is written and nothing lost', async () => {
    const writer = await core.writer();
    let pairs = 0;
    for (const page of corpus) {
      const doc = structuredClone(stored(page));
      const paragraphs = plainParagraphs(doc);
      if (paragraphs.length < 2) continue;
      const [a, b] = paragraphs as [number, number];
      const base = emu.pages.current(page).number;
      await writer.update({ page: page.id, body: { markdown: editedMarkdown(doc, a, 'Alice was here.') }, baseVersion: base });
      const bob = await writer.update({ page: page.id, body: { markdown: editedMarkdown(doc, b, 'Bob was here.') }, baseVersion: base });
      assert.equal(bob.merged, true);
      assert.equal(bob.version, base + 2);
      const both = stored(page);
      assert.match(JSON.stringify(both.content[a]), /Alice was here/);
      assert.match(JSON.stringify(both.content[b]), /Bob was here/);
      both.content.forEach((block, i) => i !== a && i !== b && assert.deepEqual(block, doc.content[i]));

      // Carol started from the same base and changed Alice's paragraph: a conflict, and nothing written.
      const writes = puts(page);
      const error = await rejects(writer.update({ page: page.id, body: { markdown: editedMarkdown(doc, a, 'Carol disagrees.') }, baseVersion: base }), 'VERSION_CONFLICT');
      assert.equal(puts(page), writes);
      assert.equal(error.details?.['currentVersion'], base + 2);
      const [conflict] = error.details?.['conflicts'] as { theirs: string; ours: string }[];
      assert.match(conflict!.theirs, /Alice was here/);
      assert.match(conflict!.ours, /Carol disagrees/);
      assert.deepEqual(stored(page), both);
      pairs++;
      if (pairs >= 8) break;
    }
    assert.ok(pairs >= 3, `only ${pairs} corpus pages had two plain paragraphs`);
  });

  test('--force writes ours over theirs in the conflicting block and keeps their other changes', async () => {
    const writer = await core.writer();
    const page = corpus.find((p) => plainParagraphs(stored(p)).length >= 2)!;
    const doc = structuredClone(stored(page));
    const [a, b] = plainParagraphs(doc) as [number, number];
    const base = emu.pages.current(page).number;
    await writer.update({ page: page.id, body: { markdown: editedMarkdown(doc, a, 'Theirs A.') }, baseVersion: base });
    const theirsB = await writer.update({ page: page.id, body: { markdown: editedMarkdown(stored(page), b, 'Theirs B.') }, baseVersion: base + 1 });
    assert.equal(theirsB.written, true);
    const forced = await writer.update({ page: page.id, body: { markdown: editedMarkdown(doc, a, 'Ours A.') }, baseVersion: base, force: true });
    assert.equal(forced.written, true);
    assert.equal(forced.replaced.length, 1);
    assert.match(forced.replaced[0]!.theirs, /Theirs A/);
    const now = JSON.stringify(stored(page));
    assert.match(now, /Ours A/);
    assert.doesNotMatch(now, /Theirs A/);
    assert.match(now, /Theirs B/);
  });

  test('a write racing ours between read and write (409) is merged once more, not overwritten', async () => {
    const page = corpus.find((p) => plainParagraphs(stored(p)).length >= 2)!;
    const doc = structuredClone(stored(page));
    const [a, b] = plainParagraphs(doc) as [number, number];
    const base = emu.pages.current(page).number;
    let raced = false;
    // A writer whose first read of the current page is followed at once by someone else's save.
    const racing = new PageWriter({
      api: () => core.api(),
      site: (c) => core.site(c),
      resolve: (r, c) => core.pages.resolve(r, c),
      get: async (target, options) => {
        const result = await core.pages.get(target, options);
        if (!raced && options?.version === undefined) {
          raced = true;
          const theirs = structuredClone(doc);
          theirs.content[b] = { type: 'paragraph', content: [{ type: 'text', text: 'Saved in between.' }] };
          emu.pages.putVersion(site.id, page.id, { body: theirs });
        }
        return result;
      },
      spaceId: async () => '',
      docs: loadDocTools,
    });
    const result = await racing.update({ page: page.id, body: { markdown: editedMarkdown(doc, a, 'Ours after the race.') }, baseVersion: base });
    assert.equal(result.version, base + 2);
    const writes = emu.pages.writes.filter((w) => w.pageId === page.id && w.method === 'PUT').slice(-2);
    assert.deepEqual(writes.map((w) => w.status), [409, 200]);
    const now = JSON.stringify(stored(page));
    assert.match(now, /Ours after the race/);
    assert.match(now, /Saved in between/);
  });

  test('an invalid document sends no write and names the place', async () => {
    const writer = await core.writer();
    const page = corpus[0]!;
    const doc = structuredClone(stored(page));
    const writes = emu.pages.writes.length;
    doc.content.push({ type: 'paragraph', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nested' }] }] });
    const error = await rejects(writer.update({ page: page.id, body: { adf: doc }, baseVersion: emu.pages.current(page).number }), 'ADF_INVALID');
    assert.match(error.message, new RegExp(`content/${doc.content.length - 1}|content\\[${doc.content.length - 1}\\]`));
    assert.equal(emu.pages.writes.length, writes);
  });

  test('a section edit and a find/replace leave the rest of the page identical', async () => {
    const writer = await core.writer();
    const home = emu.seeded.get(site.id)!.home;
    const before = structuredClone(stored(home));
    const appended = await writer.edit({ page: home.id, edits: [{ op: 'appendToSection', heading: 'Contacts', markdown: 'Or page the on-call engineer.' }] });
    assert.equal(appended.written, true);
    const after = stored(home);
    assert.deepEqual(after.content.slice(0, before.content.length), before.content);
    assert.equal(after.content.length, before.content.length + 1);
    const replaced = await writer.edit({ page: home.id, edits: [{ op: 'findReplace', find: 'architecture, runbooks', replace: 'design, runbooks' }] });
    assert.deepEqual(replaced.counts, [1]);
    const strongKept = stored(home).content[1]!.content!.find((n) => n.text === 'design');
    assert.deepEqual(strongKept?.marks, [{ type: 'strong' }]);
    stored(home).content.forEach((b, i) => i !== 1 && assert.deepEqual(b, after.content[i]));
    await rejects(writer.edit({ page: home.id, edits: [{ op: 'findReplace', find: 'no such words', replace: 'x' }] }), 'TEXT_NOT_FOUND');
    await rejects(writer.edit({ page: home.id, edits: [{ op: 'deleteSection', heading: 'Budget' }] }), 'SECTION_NOT_FOUND');
  });

  test('create: validated, named by id, version and URL; a taken title is refused', async () => {
    const writer = await core.writer();
    const created = await writer.create({ space: 'ENG', title: 'Written by the test', body: { markdown: '# Hello\n\nA new page.\n' }, parent: emu.seeded.get(site.id)!.home.id });
    assert.equal(created.version, 1);
    assert.match(created.url!, /^https:\/\/acme\.atlassian\.net\/wiki\/spaces\/ENG\/pages\/\d+\//);
    assert.equal(emu.pages.getPage(site.id, created.id)!.versions[0]!.parentId, emu.seeded.get(site.id)!.home.id);
    await rejects(writer.create({ space: 'ENG', title: 'Written by the test', body: { markdown: 'again' } }), 'TITLE_TAKEN');
    await rejects(writer.create({ space: 'NOPE', title: 'x', body: { markdown: 'x' } }), 'NOT_FOUND');
  });
});
