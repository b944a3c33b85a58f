import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, countOccurrences } from '../../../src/core/adf/edit.js';
import { findSection } from '../../../src/core/adf/index.js';
import { headingText } from '../../../src/core/adf/outline.js';
import { locateSection } from '../../../src/core/adf/edit.js';
import { blockKey, nodeText } from '../../../src/core/adf/merge.js';
import type { AdfDoc, AdfNode } from '../../../src/core/adf/types.js';
import { AppError } from '../../../src/core/errors.js';
import { designPage } from '../../support/design-page.js';
import { loadCorpus } from '../../support/adf-corpus.js';

const para = (t: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text: t }] });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError);
    return e;
  }
  assert.fail('expected an error');
};

describe('find and replace', () => {
  const page = designPage();
  test('a match across mark boundaries keeps the marks and the inline-comment anchor', () => {
    const { doc, counts } = applyEdits(page, [{ op: 'findReplace', find: 'quarterly plan', replace: 'yearly roadmap' }]);
    assert.deepEqual(counts, [1]);
    const inline = doc.content[2]!.content!;
    assert.equal(nodeText(doc.content[2]!), 'The yearly roadmap is owned by . See the spec.');
    const anchored = inline.find((n) => n.marks?.some((m) => m.type === 'annotation'))!;
    assert.match(anchored.text!, /roadmap$/);
    assert.deepEqual(anchored.marks, page.content[2]!.content![2]!.marks);
    assert.ok(inline.find((n) => n.text?.includes('yearly'))!.marks!.some((m) => m.type === 'strong'));
    // The mention and the link with its Confluence metadata are untouched.
    assert.deepEqual(inline.slice(-4), page.content[2]!.content!.slice(-4));
    // Every other block is the same.
    doc.content.forEach((b, i) => i !== 2 && assert.deepEqual(b, page.content[i]));
  });
  test('nothing found is an error; several without --all is an error that counts them', () => {
    assert.equal(code(() => applyEdits(page, [{ op: 'findReplace', find: 'absent words', replace: 'x' }])).code, 'TEXT_NOT_FOUND');
    const many = code(() => applyEdits(page, [{ op: 'findReplace', find: 'plan', replace: 'scheme' }]));
    assert.equal(many.code, 'TEXT_AMBIGUOUS');
    assert.equal(many.details?.['count'], 4);
  });
  test('--all replaces every occurrence, in tables and code too, and the page is otherwise identical', () => {
    const { doc, counts } = applyEdits(page, [{ op: 'findReplace', find: 'plan', replace: 'scheme', all: true }]);
    assert.deepEqual(counts, [4]);
    assert.equal(countOccurrences(doc, 'plan'), 0);
    assert.equal(countOccurrences(doc, 'scheme'), 4);
    assert.equal(blockKey(doc).replaceAll('scheme', 'plan'), blockKey(page));
  });
  test('the input document is not modified', () => {
    const before = blockKey(page);
    applyEdits(page, [{ op: 'findReplace', find: 'plan', replace: 'scheme', all: true }, { op: 'deleteSection', heading: 'Risks' }]);
    assert.equal(blockKey(page), before);
  });
});

describe('section edits', () => {
  const page = designPage();
  test('an ambiguous heading lists the candidates; a path picks one', () => {
    const e = code(() => applyEdits(page, [{ op: 'deleteSection', heading: 'Notes' }]));
    assert.equal(e.code, 'SECTION_AMBIGUOUS');
    assert.deepEqual((e.details?.['candidates'] as { path: string }[]).map((c) => c.path), ['Overview > Notes', 'Notes']);
    assert.match(e.message, /"Overview > Notes", "Notes"/);
    assert.deepEqual(locateSection(page, 'Overview > Notes'), { index: 4, end: 7, level: 2 });
    assert.deepEqual(locateSection(page, 'Overview'), { index: 1, end: 10, level: 1 });
    assert.deepEqual(locateSection(page, '## risks'), { index: 7, end: 10, level: 2 });
  });
  test('a missing heading is an error naming the headings there are', () => {
    const e = code(() => applyEdits(page, [{ op: 'deleteSection', heading: 'Budget' }]));
    assert.equal(e.code, 'SECTION_NOT_FOUND');
    assert.deepEqual(e.details?.['headings'], ['Overview', 'Notes', 'Risks', 'Notes']);
  });
  test('delete, replace, append to and insert after a section leave the rest identical', () => {
    const del = applyEdits(page, [{ op: 'deleteSection', heading: 'Overview > Notes' }]).doc;
    assert.deepEqual(del.content, [...page.content.slice(0, 4), ...page.content.slice(7)]);
    const rep = applyEdits(page, [{ op: 'replaceSection', heading: 'Risks', content: [para('No risks left.')] }]).doc;
    assert.deepEqual(rep.content, [...page.content.slice(0, 8), para('No risks left.'), ...page.content.slice(10)]);
    // Append goes at the end of the section's own text, before its first subsection.
    const app = applyEdits(page, [{ op: 'appendToSection', heading: 'Overview', content: [para('More.')] }]).doc;
    assert.deepEqual(app.content, [...page.content.slice(0, 4), para('More.'), ...page.content.slice(4)]);
    const after = applyEdits(page, [{ op: 'insertAfterSection', heading: 'Overview', content: [para('Between.')] }]).doc;
    assert.deepEqual(after.content, [...page.content.slice(0, 10), para('Between.'), ...page.content.slice(10)]);
  });
});

describe('edits on the corpus leave everything else identical', () => {
  for (const { name, doc } of loadCorpus()) {
    test(name, () => {
      const headings = doc.content.filter((b) => b.type === 'heading' && typeof b.attrs?.['level'] === 'number').map(headingText);
      const unique = headings.find((h) => h.trim() && !h.includes(' > ') && headings.filter((x) => x.trim().toLowerCase() === h.trim().toLowerCase()).length === 1);
      if (unique) {
        const s = findSection(doc, unique);
        const out = applyEdits(doc, [{ op: 'deleteSection', heading: unique }]).doc;
        assert.deepEqual(out.content, [...doc.content.slice(0, s.index), ...doc.content.slice(s.end)]);
      }
      const word = blockKey(doc).match(/"text":"([A-Za-z]{5,})/)?.[1];
      if (word) {
        // Replacing a word by itself gives the document back exactly; appending to it keeps every mark.
        assert.deepEqual(applyEdits(doc, [{ op: 'findReplace', find: word, replace: word, all: true }]).doc, doc);
        const out = applyEdits(doc, [{ op: 'findReplace', find: word, replace: `${word}!`, all: true }]).doc;
        const marks = (d: AdfDoc) => new Set((blockKey(d).match(/"marks":\[[^\]]*\]/g) ?? []));
        assert.deepEqual(marks(out), marks(doc));
        assert.equal(countOccurrences(out, `${word}!`), countOccurrences(doc, word));
      }
    });
  }
});
