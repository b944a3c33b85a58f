/**
 * `pages update` parses only the stretch of Markdown that changed. Whatever the edit, the result must
 * be what parsing the whole text gives: checked on every corpus page with edits that stay inside a
 * block, insert, delete, and reach into the neighbours (a list continued, a fence left open).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fromMarkdownAgainst, loadDocTools, type DocTools } from '../../src/core/page-writer.js';
import { loadCorpus } from '../support/adf-corpus.js';
import type { AdfDoc } from '../../src/core/adf/types.js';

const edits: [string, (blocks: string[], k: number) => string[]][] = [
  ['a sentence added to a block', (b, k) => b.map((x, i) => (i === k ? `${x} Added.` : x))],
  ['a paragraph inserted', (b, k) => [...b.slice(0, k), 'A new paragraph.', ...b.slice(k)]],
  ['a block deleted', (b, k) => b.filter((_, i) => i !== k)],
  ['text indented under the block before (a list continued)', (b, k) => [...b.slice(0, k), '  indented continuation', ...b.slice(k)]],
  ['a fence left open', (b, k) => [...b.slice(0, k), '```', ...b.slice(k)]],
  ['nothing changed', (b) => b],
];

describe('parsing only what changed gives what parsing everything gives', () => {
  let docs: DocTools;
  for (const { name, doc } of loadCorpus()) {
    test(name, async () => {
      docs ??= await loadDocTools();
      const base = doc as AdfDoc;
      const blocks = docs.renderBlocks(base);
      if (blocks.length < 3) return;
      for (const [what, edit] of edits) {
        for (const k of [1, Math.floor(blocks.length / 2), blocks.length - 1]) {
          const markdown = `${edit(blocks, k).join('\n\n')}\n`;
          let whole: AdfDoc | undefined;
          try {
            whole = docs.fromMarkdown(markdown, { base });
          } catch (error) {
            await assert.rejects(async () => fromMarkdownAgainst(docs, markdown, base), { message: (error as Error).message });
            continue;
          }
          assert.deepEqual(fromMarkdownAgainst(docs, markdown, base), whole, `${what} at block ${k}`);
        }
      }
    });
  }
});
