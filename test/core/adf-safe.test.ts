/**
 * The Markdown writer's quick path for making text safe (src/core/adf/markdown.ts) writes exactly what
 * the serializer's own safe() writes: on the corpus, on every CommonMark and GFM example, and on text
 * full of punctuation in every place text can stand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import type { RootContent } from 'mdast';
import { toMarkdown, fromMarkdown } from '../../src/core/adf/index.js';
import { parseMarkdown, stringifyBlocks, withFullSafe } from '../../src/core/adf/markdown.js';
import { loadCorpus, CORPUS_DIR } from '../support/adf-corpus.js';

const require = createRequire(import.meta.url);
const examples = [
  ...(require('commonmark-spec') as { tests: { markdown: string }[] }).tests,
  ...(JSON.parse(fs.readFileSync(path.resolve(CORPUS_DIR, '../markdown/gfm-extensions.json'), 'utf8')) as { markdown: string }[]),
].map((e) => e.markdown);

test('every corpus document is written the same as with the full safe()', () => {
  for (const { name, doc } of loadCorpus()) assert.equal(toMarkdown(doc), withFullSafe(() => toMarkdown(doc)), name);
});

test('every CommonMark and GFM example, as parsed and as ADF, is written the same as with the full safe()', () => {
  for (const markdown of examples) {
    const blocks = parseMarkdown(markdown).children as RootContent[];
    assert.deepEqual(stringifyBlocks(blocks), withFullSafe(() => stringifyBlocks(blocks)), markdown);
    const adf = fromMarkdown(markdown);
    assert.equal(toMarkdown(adf), withFullSafe(() => toMarkdown(adf)), markdown);
  }
});

test('text full of punctuation is written the same as with the full safe(), wherever it stands', () => {
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const alphabet = `ab 12\t\n${Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter((c) => !/[A-Za-z0-9]/.test(c)).join('')}`;
  const text = () => Array.from({ length: 1 + Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const t = () => ({ type: 'text' as const, value: text() });
  for (let i = 0; i < 3000; i++) {
    const blocks = [
      { type: 'paragraph', children: [t(), { type: 'emphasis', children: [t()] }, t(), { type: 'strong', children: [t()] }, { type: 'inlineCode', value: text() }] },
      { type: 'heading', depth: 2, children: [t()] },
      { type: 'paragraph', children: [t(), { type: 'link', url: text(), title: text(), children: [t()] }, t(), { type: 'delete', children: [t()] }, t()] },
      { type: 'list', ordered: i % 2 === 0, children: [{ type: 'listItem', checked: i % 3 === 0 ? null : i % 3 === 1, children: [{ type: 'paragraph', children: [t()] }] }] },
      { type: 'table', children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: [t()] }, { type: 'tableCell', children: [t()] }] }] },
      { type: 'blockquote', children: [{ type: 'paragraph', children: [t(), { type: 'image', url: text(), alt: text() }, t(), { type: 'break' }, t()] }] },
      { type: 'paragraph', children: [{ type: 'textDirective', name: 'status', attributes: { color: text() }, children: [t()] }, t()] },
      { type: 'code', lang: text().replace(/\s/g, ''), meta: text(), value: text() },
      { type: 'leafDirective', name: 'panel', attributes: { type: text() }, children: [t()] },
    ] as RootContent[];
    assert.deepEqual(stringifyBlocks(blocks), withFullSafe(() => stringifyBlocks(blocks)), JSON.stringify(blocks));
  }
});
