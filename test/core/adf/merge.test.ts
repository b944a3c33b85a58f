import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mergeBlocks, diffBlocks } from '../../../src/core/adf/merge.js';
import type { AdfDoc, AdfNode } from '../../../src/core/adf/types.js';
import { designPage } from '../../support/design-page.js';
import { loadCorpus } from '../../support/adf-corpus.js';

const para = (t: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text: t }] });
const withBlocks = (doc: AdfDoc, content: AdfNode[]): AdfDoc => ({ ...doc, content });
const replaceAt = (doc: AdfDoc, i: number, node: AdfNode) => withBlocks(doc, doc.content.map((b, k) => (k === i ? node : b)));
const clone = <T>(v: T): T => structuredClone(v);

const documents = [{ name: 'design page', doc: designPage() }, ...loadCorpus()].filter((d) => d.doc.content.length >= 2);

describe('three-way block merge on real documents', () => {
  for (const { name, doc } of documents) {
    test(name, () => {
      const base = clone(doc);
      const n = base.content.length;
      // Nobody changed anything: the base comes back.
      const same = mergeBlocks(base, clone(base), clone(base));
      assert.deepEqual(same.doc, base);
      assert.equal(same.conflicts.length, 0);

      // Different blocks, neighbours included: both changes land, everything else deep-equals the base.
      for (const [i, j] of [[0, n - 1], [0, 1], [n - 2, n - 1]] as const) {
        const theirs = replaceAt(clone(base), i, para('theirs edit'));
        const ours = replaceAt(clone(base), j, para('our edit'));
        const merged = mergeBlocks(base, theirs, ours);
        assert.equal(merged.conflicts.length, 0, `blocks ${i} and ${j}`);
        assert.deepEqual(merged.doc, replaceAt(replaceAt(clone(base), i, para('theirs edit')), j, para('our edit')));
      }

      // The same block changed differently: one conflict, their block kept in it, ours in the forced result.
      const k = Math.floor(n / 2);
      const conflict = mergeBlocks(base, replaceAt(clone(base), k, para('theirs')), replaceAt(clone(base), k, para('ours')));
      assert.equal(conflict.conflicts.length, 1);
      assert.deepEqual(conflict.conflicts[0]!.theirs, [para('theirs')]);
      assert.deepEqual(conflict.conflicts[0]!.ours, [para('ours')]);
      assert.deepEqual(conflict.conflicts[0]!.base, [base.content[k]]);
      assert.equal(conflict.replaced, 1);
      assert.deepEqual(conflict.doc, replaceAt(clone(base), k, para('ours')));

      // The same change on both sides is no conflict and is applied once.
      const both = mergeBlocks(base, replaceAt(clone(base), k, para('same')), replaceAt(clone(base), k, para('same')));
      assert.equal(both.conflicts.length, 0);
      assert.deepEqual(both.doc, replaceAt(clone(base), k, para('same')));

      // They inserted at the top, we deleted the last block: both happen.
      const ins = mergeBlocks(base, withBlocks(clone(base), [para('new top'), ...clone(base.content)]), withBlocks(clone(base), clone(base.content.slice(0, -1))));
      assert.equal(ins.conflicts.length, 0);
      assert.deepEqual(ins.doc.content, [para('new top'), ...base.content.slice(0, -1)]);
    });
  }
});

describe('merge edge cases', () => {
  const base = designPage();
  test('two insertions at the same place differently conflict, with no base', () => {
    const at = (node: AdfNode) => withBlocks(clone(base), [...base.content.slice(0, 3), node, ...base.content.slice(3)]);
    const r = mergeBlocks(base, at(para('theirs')), at(para('ours')));
    assert.equal(r.conflicts.length, 1);
    assert.equal(r.conflicts[0]!.base, undefined);
    assert.equal(r.conflicts[0]!.heading, 'Overview');
  });
  test('they delete a block we changed: a conflict naming its section', () => {
    const theirs = withBlocks(clone(base), base.content.filter((_, i) => i !== 5));
    const ours = replaceAt(clone(base), 5, para('First note, revised.'));
    const r = mergeBlocks(base, theirs, ours);
    assert.equal(r.conflicts.length, 1);
    assert.equal(r.conflicts[0]!.theirs, undefined);
    assert.equal(r.conflicts[0]!.heading, 'Notes');
  });
  test('blocks whose keys come back in another order are equal', () => {
    const theirs = clone(base);
    const p = theirs.content[2]!;
    theirs.content[2] = { content: p.content, attrs: p.attrs, type: p.type } as AdfNode;
    assert.deepEqual(diffBlocks(base.content, theirs.content), []);
    const r = mergeBlocks(base, theirs, replaceAt(clone(base), 2, para('ours')));
    assert.equal(r.conflicts.length, 0);
  });
});
