import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator, DEFAULT_SITES } from '../emulator/server.js';
import type { PageRecord } from '../emulator/pages.js';
import { runCli } from '../support/cli.js';
import { signedInHome } from '../support/core.js';
import { renderDoc } from '../../src/core/adf/to-markdown.js';
import { withFrontMatter } from '../../src/core/adf/front-matter.js';
import type { AdfDoc } from '../../src/core/adf/types.js';

const site = DEFAULT_SITES[0]!;

describe('pages create | update | edit from the built CLI', () => {
  const emu = new AtlassianEmulator({ pages: true });
  let s: Awaited<ReturnType<typeof signedInHome>>;
  before(async () => {
    await emu.start();
    s = await signedInHome(emu);
  });
  after(async () => {
    await s.cleanup();
    await emu.stop();
  });

  const stored = (page: PageRecord) => emu.pages.current(page).body as AdfDoc;
  const puts = () => emu.pages.writes.filter((w) => w.method === 'PUT').length;
  /** The page as `pages get` writes it: front matter, then Markdown, with block `k` edited. */
  async function pageFile(page: PageRecord, name: string, edit?: { k: number; words: string }, version = emu.pages.current(page).number): Promise<string> {
    const { blocks } = renderDoc(stored(page));
    if (edit) blocks[edit.k] = `${blocks[edit.k]} ${edit.words}`;
    const file = path.join(s.home, name);
    await fs.writeFile(file, withFrontMatter({ id: page.id, title: emu.pages.current(page).title, space: 'ENG', version }, `${blocks.join('\n\n')}\n`));
    return file;
  }

  test('edit in your editor: update writes base + 1; the same file again writes nothing', async () => {
    const page = emu.seeded.get(site.id)!.home;
    const version = emu.pages.current(page).number;
    const file = await pageFile(page, 'home.md', { k: 1, words: 'Ask us anything.' });
    const r = await runCli(['pages', 'update', page.id, '--file', file], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Updated page ${page.id} "Engineering Home": version ${version + 1}`));
    assert.match(JSON.stringify(stored(page).content[1]), /Ask us anything\./);
    const again = await runCli(['pages', 'update', page.id, '--file', await pageFile(page, 'home2.md')], { env: s.env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /No change/);
    assert.equal(emu.pages.current(page).number, version + 1);
  });

  test('with --wait, a write that meets an hourly-quota 429 waits for the reset and then lands, once', async () => {
    const page = emu.seeded.get(site.id)!.home;
    const version = emu.pages.current(page).number;
    const file = await pageFile(page, 'quota.md', { k: 1, words: 'Written after the quota reset.' });
    const writes = puts();
    emu.inject({ kind: '429', method: 'PUT', retryAfter: '2', reason: 'confluence-quota-global-based', path: '/ex/confluence/' });
    const r = await runCli(['pages', 'update', page.id, '--file', file, '--wait'], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /hourly quota for this app is used up/);
    assert.equal(emu.pages.current(page).number, version + 1);
    assert.equal(puts(), writes + 1, 'the refused PUT was not recorded as a write; the one after the reset was');
    assert.match(JSON.stringify(stored(page).content[1]), /Written after the quota reset\./);
  });

  test('pages get → edit the file → pages update: exactly the edited block changes, on the largest real page', async () => {
    const page = emu.seeded.get(site.id)!.huge;
    const before = structuredClone(stored(page));
    const file = path.join(s.home, 'huge.md');
    const got = await runCli(['pages', 'get', page.id, '--output', file], { env: s.env });
    assert.equal(got.code, 0, got.stderr);
    const text = await fs.readFile(file, 'utf8');
    const k = before.content.findIndex((b) => b.type === 'paragraph' && (b.content ?? []).length > 0 && b.content!.every((n) => n.type === 'text' && !n.marks));
    const sentence = before.content[k]!.content!.map((n) => n.text).join('');
    assert.ok(text.includes(`${sentence}\n`), 'the paragraph is in the file as one line');
    await fs.writeFile(file, text.replace(`${sentence}\n`, `${sentence} Edited in an editor.\n`));
    const r = await runCli(['pages', 'update', page.id, '--file', file], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    const after = stored(page);
    assert.equal(after.content.length, before.content.length);
    after.content.forEach((b, i) => (i === k ? assert.match(JSON.stringify(b), /Edited in an editor\./) : assert.deepEqual(b, before.content[i], `block ${i}`)));
  });

  test('a conflict exits 5, shows theirs and ours, and writes nothing; --dry-run sends nothing; --force writes', async () => {
    const page = emu.seeded.get(site.id)!.home;
    const base = emu.pages.current(page).number;
    const mine = await pageFile(page, 'mine.md', { k: 3, words: 'Mine.' });
    const theirs = await runCli(['pages', 'update', page.id, '--file', await pageFile(page, 'theirs.md', { k: 3, words: 'Theirs.' })], { env: s.env });
    assert.equal(theirs.code, 0, theirs.stderr);
    const writes = puts();
    const r = await runCli(['pages', 'update', page.id, '--file', mine], { env: s.env });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /conflict in "Contacts"/);
    assert.match(r.stderr, new RegExp(`theirs \\(version ${base + 1}\\):\\n.*Theirs\\.`));
    assert.match(r.stderr, /ours:\n.*Mine\./);
    assert.match(r.stderr, /--force/);
    assert.equal(puts(), writes);

    const dry = await runCli(['pages', 'update', page.id, '--file', mine, '--dry-run', '--force'], { env: s.env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /@@ block 4 @@\n- .*Theirs\.\n\+ .*Mine\./);
    assert.equal(puts(), writes);

    const forced = await runCli(['pages', 'update', page.id, '--file', mine, '--force', '--json'], { env: s.env });
    assert.equal(forced.code, 0, forced.stderr);
    const result = JSON.parse(forced.stdout) as { version: number; replaced: { heading: string }[] };
    assert.equal(result.version, base + 2);
    assert.deepEqual(result.replaced.map((x) => x.heading), ['Contacts']);
    assert.match(forced.stderr, /--force replaced their change in "Contacts"/);
  });

  test('without a base version the update is refused, naming the flag', async () => {
    const page = emu.seeded.get(site.id)!.home;
    const r = await runCli(['pages', 'update', page.id, '--format', 'markdown'], { env: s.env, input: '# Overwrite\n' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--base-version/);
  });

  test('a file of another page is refused before anything is sent', async () => {
    const seeded = emu.seeded.get(site.id)!;
    const file = await pageFile(seeded.home, 'wrong.md');
    const r = await runCli(['pages', 'update', seeded.corpus[0]!.id, '--file', file], { env: s.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`The file is page ${seeded.home.id}`));
  });

  test('edit: find/replace across marks, sections, ambiguity and absence are errors that say what there is', async () => {
    const page = emu.seeded.get(site.id)!.home;
    const r = await runCli(['pages', 'edit', page.id, '--find', 'architecture, runbooks', '--replace-text', 'design, runbooks'], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /1 replacement/);
    assert.ok(stored(page).content[1]!.content!.some((n) => n.text === 'design' && JSON.stringify(n.marks) === '[{"type":"strong"}]'));
    const missing = await runCli(['pages', 'edit', page.id, '--find', 'nowhere to be found', '--replace-text', 'x'], { env: s.env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not contain "nowhere to be found"/);
    await fs.writeFile(path.join(s.home, 'more.md'), 'Or write to the list.\n');
    const appended = await runCli(['pages', 'edit', page.id, '--section', 'Contacts', '--append', path.join(s.home, 'more.md')], { env: s.env });
    assert.equal(appended.code, 0, appended.stderr);
    assert.equal(stored(page).content.at(-1)!.type, 'paragraph');
    assert.match(JSON.stringify(stored(page).content.at(-1)), /Or write to the list/);
    const none = await runCli(['pages', 'edit', page.id, '--section', 'Budget', '--delete'], { env: s.env });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /Budget/);
    const usage = await runCli(['pages', 'edit', page.id, '--section', 'Contacts'], { env: s.env });
    assert.equal(usage.code, 2);
  });

  test('create from stdin: the JSON names id, version and URL; a taken title is refused', async () => {
    const r = await runCli(['pages', 'create', '--space', 'ENG', '--title', 'From the CLI', '--json'], { env: s.env, input: '# Hello\n\nWritten from a pipe.\n' });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { id: string; version: number; url: string };
    assert.equal(result.version, 1);
    assert.match(result.url, new RegExp(`/wiki/spaces/ENG/pages/${result.id}/`));
    const dup = await runCli(['pages', 'create', '--space', 'ENG', '--title', 'From the CLI'], { env: s.env, input: 'again\n' });
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
  });

  test('titles from Confluence are shown without control characters', async () => {
    const page = emu.seeded.get(site.id)!.hostileTitle;
    const file = await pageFile(page, 'hostile.md', { k: 0, words: 'More.' });
    const r = await runCli(['pages', 'update', page.id, '--file', file], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Updated page \d+ "Release \[31mnotes\[0m 2026"/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stderr, /[\u0007\u001b]/);
  });
});
