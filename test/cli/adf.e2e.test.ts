/** The offline `adf` verbs, run as a user runs them: the built CLI, files and pipes, no login. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runCli, tempHome } from '../support/cli.js';
import { loadCorpus } from '../support/adf-corpus.js';

describe('adf to-markdown / from-markdown', () => {
  let dir: { home: string; cleanup: () => Promise<void> };
  const page = loadCorpus().find((d) => d.name === 'confluence-page-node-doc')!;
  let pageFile: string;
  before(async () => {
    dir = await tempHome();
    pageFile = path.join(dir.home, 'page.json');
    await fs.writeFile(pageFile, JSON.stringify(page.doc));
  });
  after(() => dir.cleanup());
  const env = () => ({ CONFLUENCE_ADF_HOME: dir.home });

  test('to-markdown -> edit -> from-markdown --base changes only the edited block', async () => {
    const md = await runCli(['adf', 'to-markdown', pageFile], { env: env() });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /::extension\[/, 'macros are placeholders');
    const mdFile = path.join(dir.home, 'page.md');
    const heading = page.doc.content.findIndex((n) => n.type === 'heading');
    const title = (page.doc.content[heading]!.content![0]!.text as string);
    await fs.writeFile(mdFile, md.stdout.replace(title, `${title} (edited)`));
    const back = await runCli(['adf', 'from-markdown', mdFile, '--base', pageFile], { env: env() });
    assert.equal(back.code, 0, back.stderr);
    const doc = JSON.parse(back.stdout);
    assert.equal(doc.content.length, page.doc.content.length);
    doc.content.forEach((node: unknown, i: number) => {
      if (i === heading) assert.equal(((node as { content: { text: string }[] }).content[0]!.text), `${title} (edited)`);
      else assert.deepStrictEqual(node, page.doc.content[i]);
    });
  });

  test('reads standard input with - or no file, and round-trips without a base for plain Markdown', async () => {
    const adf = await runCli(['adf', 'from-markdown'], { env: env(), input: '# Plan\n\n- [ ] write\n- [x] ship\n\n:::panel{type=warning}\nCareful\n:::\n' });
    assert.equal(adf.code, 0, adf.stderr);
    const doc = JSON.parse(adf.stdout);
    assert.deepEqual(doc.content.map((n: { type: string }) => n.type), ['heading', 'taskList', 'panel']);
    const md = await runCli(['adf', 'to-markdown', '-'], { env: env(), input: adf.stdout });
    assert.equal(md.code, 0, md.stderr);
    assert.equal(md.stdout, '# Plan\n\n- [ ] write\n- [x] ship\n\n:::panel{type="warning"}\nCareful\n:::\n');
  });

  test('bad input is an error naming the place, exit 1; usage mistakes exit 2', async () => {
    const notJson = await runCli(['adf', 'to-markdown'], { env: env(), input: '{"type": "doc",\n  "content": [}' });
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /standard input is not JSON at line 2, column \d+/);
    const notDoc = await runCli(['adf', 'to-markdown'], { env: env(), input: '{"type":"paragraph"}' });
    assert.equal(notDoc.code, 1);
    assert.match(notDoc.stderr, /not an ADF document: its "type" is "paragraph", not "doc"/);
    const broken = await runCli(['adf', 'from-markdown'], { env: env(), input: 'Intro\n\n:::pannel{type=info}\nx\n:::\n' });
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /standard input, line 3: unknown directive ":::pannel"/);
    const unknownRef = await runCli(['adf', 'from-markdown', '-', '--base', pageFile], { env: env(), input: 'a\n\nb\n\n::extension[toc]{ref="00000000"}\n' });
    assert.equal(unknownRef.code, 1);
    assert.match(unknownRef.stderr, /line 5: placeholder reference "00000000" is not in the base document/);
    const noBase = await runCli(['adf', 'from-markdown'], { env: env(), input: '::extension[toc]{ref="00000000"}\n' });
    assert.equal(noBase.code, 1);
    assert.match(noBase.stderr, /--base/);
    const missing = await runCli(['adf', 'to-markdown', path.join(dir.home, 'nope.json')], { env: env() });
    assert.equal(missing.code, 2);
    const flag = await runCli(['adf', 'from-markdown', '--bogus'], { env: env() });
    assert.equal(flag.code, 2);
  });
});
