import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCql, cqlString } from '../../src/core/confluence/search.js';
import { splitFrontMatter, withFrontMatter } from '../../src/core/adf/front-matter.js';
import { oneLine, stripControl } from '../../src/core/text.js';
import { textWindow } from '../../src/core/adf/window.js';
import { parseCql } from '../emulator/pages.js';
import { AppError } from '../../src/core/errors.js';

test('flag values are escaped into CQL string literals, never pasted raw', () => {
  const hostile = 'plan" OR space = "SECRET" OR title ~ "\\';
  const cql = buildCql({ text: hostile, space: 'ENG' });
  assert.equal(cql, `type = page AND space = "ENG" AND text ~ ${cqlString(hostile)} ORDER BY lastmodified DESC`);
  // The emulator's parser reads it back as one comparison holding the whole value, no OR in sight.
  const { where } = parseCql(cql);
  const values: string[] = [];
  const walk = (q: unknown) => {
    const n = q as { kind: string; left?: unknown; right?: unknown; values?: string[] };
    if (n.kind === 'or') assert.fail('an OR was injected');
    if (n.kind === 'and') [n.left, n.right].forEach(walk);
    if (n.kind === 'cmp') values.push(...n.values!);
  };
  walk(where);
  assert.deepEqual(values, ['page', 'ENG', hostile]);
});

test('own CQL is kept whole and its ORDER BY stays last; no query at all is a usage error', () => {
  assert.equal(buildCql({ cql: 'label = "a" OR label = "b" ORDER BY title', space: 'ENG' }), '(label = "a" OR label = "b") AND space = "ENG" ORDER BY title');
  assert.equal(buildCql({ cql: 'title ~ "order by"' }), 'title ~ "order by"');
  assert.equal(buildCql({ title: 'Road map' }), 'type = page AND title ~ "Road map" ORDER BY lastmodified DESC');
  assert.throws(() => buildCql({}), (e: unknown) => e instanceof AppError && e.code === 'USAGE');
});

test('front matter: ids stay strings, the block round-trips, a broken block names its line', () => {
  const text = withFrontMatter({ id: '00123', title: 'Plan: "Q3" #1', space: 'ENG', version: 7, url: 'https://acme.atlassian.net/wiki/x/AQ', parent: '456', none: undefined }, '# Body\n');
  assert.match(text, /^---\nid: "00123"\n/);
  assert.match(text, /\nparent: "456"\n---\n# Body\n$/);
  assert.deepEqual(splitFrontMatter(text), { meta: { id: '00123', title: 'Plan: "Q3" #1', space: 'ENG', version: 7, url: 'https://acme.atlassian.net/wiki/x/AQ', parent: '456' }, body: '# Body\n' });
  assert.deepEqual(splitFrontMatter('# No block\n'), { meta: {}, body: '# No block\n' });
  assert.throws(() => splitFrontMatter('---\nid: "1\ntitle: x\n---\nbody'), (e: unknown) => e instanceof AppError && typeof e.details?.line === 'number');
  assert.equal(withFrontMatter({ title: 'A \u001b[31mred\u001b[0m title' }, '').includes('\u001b'), false, 'control characters are escaped in YAML');
});

test('control characters are stripped from remote text; oneLine also folds line breaks', () => {
  assert.equal(stripControl('Release \u001b[31mnotes\u001b[0m\u0007\r\n2026\u009b'), 'Release [31mnotes[0m\n2026');
  assert.equal(oneLine('a\tb\nc\u0000d'), 'a b cd');
});

test('a text window ends at a paragraph break when one is near, and says where to go on', () => {
  const text = Array.from({ length: 100 }, (_, i) => `Paragraph ${i} ${'x'.repeat(80)}`).join('\n\n');
  const first = textWindow(text, 0, 1000);
  assert.ok(first.text.length <= 1000 && first.truncated);
  assert.ok(first.text.endsWith('\n\n'), 'cut after a paragraph');
  const second = textWindow(text, first.end, 1000);
  assert.ok(second.text.startsWith('Paragraph'));
  let offset = 0;
  let joined = '';
  for (;;) {
    const w = textWindow(text, offset, 1000);
    joined += w.text;
    if (!w.truncated) break;
    offset = w.end;
  }
  assert.equal(joined, text, 'reading on part by part gives the whole text');
});

test('Atlassian\'s own error words reach the message without control characters', async () => {
  const { mapApiError } = await import('../../src/core/confluence/http.js');
  const response = { statusCode: 400, body: { statusCode: 400, message: 'com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse cql : title ~ "\u001b]0;owned\u0007"' }, headers: {} };
  const error = mapApiError(Object.assign(new Error('HTTP 400'), { name: 'HTTPError', response }));
  assert.equal(error.message, 'Atlassian answered 400: Could not parse cql : title ~ "]0;owned".');
});
