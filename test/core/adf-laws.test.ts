/** The laws of the document core (issue 16), each a property checked on the corpus of real documents. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { toMarkdown, fromMarkdown, type AdfDoc, type AdfNode } from '../../src/core/adf/index.js';
import { renderDoc } from '../../src/core/adf/to-markdown.js';
import { parseMarkdown } from '../../src/core/adf/markdown.js';
import { loadCorpus, CORPUS_DIR } from '../support/adf-corpus.js';
import { validateAdf } from '../../src/core/adf/validate.js';

const corpus = loadCorpus();

function textNodes(node: AdfNode, out: AdfNode[] = []): AdfNode[] {
  if (node.type === 'text' && typeof node.text === 'string') out.push(node);
  for (const child of Array.isArray(node.content) ? node.content : []) textNodes(child, out);
  return out;
}

describe('law 1: lossless round trip with the base', () => {
  test('the corpus is the committed one, with at least 30 documents', () => {
    assert.ok(corpus.length >= 30, `${corpus.length} documents in ${CORPUS_DIR}`);
  });
  for (const { name, doc } of corpus) {
    test(name, () => {
      assert.deepStrictEqual(fromMarkdown(toMarkdown(doc), { base: doc }), doc);
    });
  }
});

describe('law 2: editing one block changes only that block', () => {
  for (const { name, doc } of corpus) {
    test(name, () => {
      const { blocks } = renderDoc(doc);
      const markdown = `${blocks.join('\n\n')}\n`;
      let edits = 0;
      doc.content.forEach((block, i) => {
        const texts = textNodes(block);
        // A word of the block's text, where the Markdown shows it as text (not in a directive's name or attributes).
        const shownAt = (w: string) => blocks[i]!.search(new RegExp(`(?<![:\\w])${w}(?![\\w"])`));
        const shownOnce = (w: string) => blocks[i]!.split(new RegExp(`(?<![:\\w])${w}(?![\\w"])`)).length === 2;
        const words = texts.flatMap((t) => t.text!.match(/\b[A-Za-z]{4,}\b/g) ?? []);
        const word = words.find(shownOnce) ?? words.find((w) => shownAt(w) >= 0);
        if (!word) return;
        edits++;
        const start = blocks.slice(0, i).reduce((n, b) => n + b.length + 2, 0);
        const at = start + shownAt(word);
        const edited = fromMarkdown(`${markdown.slice(0, at)}${word}Zq${markdown.slice(at + word.length)}`, { base: doc });
        assert.equal(edited.content.length, doc.content.length, `editing "${word}" in block ${i} kept the block count`);
        edited.content.forEach((node, j) => {
          if (j !== i) assert.deepStrictEqual(node, doc.content[j], `block ${j} untouched when block ${i} is edited`);
        });
        const changed = edited.content[i]!;
        assert.ok(JSON.stringify(changed).includes(`${word}Zq`), `the edit of block ${i} is there`);
        if (block.attrs?.localId !== undefined) assert.equal(changed.attrs?.localId, block.attrs.localId, `block ${i} keeps its localId`);
        // Every text node the edit did not touch comes back with all its marks (annotations, links with metadata).
        const after = new Set(textNodes(changed).map((t) => JSON.stringify(t)));
        for (const t of texts) if (!t.text!.split(/\b/).includes(word)) assert.ok(after.has(JSON.stringify(t)), `untouched text ${JSON.stringify(t).slice(0, 120)} survives in block ${i}`);
      });
      if (doc.content.some((b) => textNodes(b).some((t) => /\b[A-Za-z]{4,}\b/.test(t.text!)))) assert.ok(edits > 0, 'at least one block was edited');
    });
  }
});

/** Text a reader sees in Markdown: the parsed text, code and labels, not directive attributes. */
function visibleText(markdown: string): string {
  const parts: string[] = [];
  const walk = (node: { type: string; value?: unknown; children?: unknown[] }) => {
    if (typeof node.value === 'string' && node.type !== 'html') parts.push(node.value);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(parseMarkdown(markdown) as unknown as { type: string });
  return parts.join('\n');
}

describe('law 3: visible text', () => {
  test('at least 98% of the corpus text characters are visible outside placeholder references', () => {
    let total = 0;
    let visible = 0;
    const hidden: string[] = [];
    for (const { name, doc } of corpus) {
      const shown = visibleText(toMarkdown(doc));
      for (const block of doc.content) {
        for (const t of textNodes(block)) {
          total += t.text!.length;
          if (shown.includes(t.text!)) visible += t.text!.length;
          else hidden.push(`${name}: ${JSON.stringify(t.text)}`);
        }
      }
    }
    assert.ok(total > 10_000, `the corpus has text (${total} characters)`);
    assert.ok(visible / total >= 0.98, `${((100 * visible) / total).toFixed(2)}% visible; hidden: ${hidden.slice(0, 10).join('; ')}`);
  });
});

interface Example {
  section: string;
  markdown: string;
  number?: number;
}
const require = createRequire(import.meta.url);
const commonmark = (require('commonmark-spec') as { tests: Example[] }).tests;
const gfmPath = path.resolve(CORPUS_DIR, '../markdown/gfm-extensions.json');
const gfmExamples = JSON.parse(fs.readFileSync(gfmPath, 'utf8')) as Example[];

describe('law 4: Markdown written by people', () => {
  for (const [label, examples] of [['CommonMark spec', commonmark], ['GFM extensions', gfmExamples]] as const) {
    test(`${label}: ${examples.length} examples give schema-valid ADF that is a fixed point`, () => {
      assert.ok(examples.length > (label === 'CommonMark spec' ? 600 : 20));
      for (const [i, example] of examples.entries()) {
        const where = `${label} example ${example.number ?? i + 1} (${example.section}): ${JSON.stringify(example.markdown)}`;
        const adf: AdfDoc = fromMarkdown(example.markdown);
        const verdict = validateAdf(adf);
        assert.ok(verdict.valid, `${where} gives schema-valid ADF: ${JSON.stringify(verdict.errors[0])} in ${JSON.stringify(adf)}`);
        const again = toMarkdown(adf);
        assert.deepStrictEqual(fromMarkdown(again), adf, `${where} is a fixed point; Markdown written: ${JSON.stringify(again)}`);
      }
    });
  }
});
