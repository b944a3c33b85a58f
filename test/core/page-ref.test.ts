import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idFromTiny, parsePageRef } from '../../src/core/confluence/page-ref.js';
import { AppError } from '../../src/core/errors.js';
import { tinyFor } from '../emulator/pages.js';

test('a page is named by its id or by any address Confluence shows for it', () => {
  const cases: [string, { id: string; host?: string; cloudId?: string }][] = [
    ['123456', { id: '123456' }],
    ['  98305 ', { id: '98305' }],
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Quarterly+Plan', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/123456', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Plan?focusedCommentId=9#anchor', { id: '123456', host: 'acme.atlassian.net' }],
    ['acme.atlassian.net/wiki/spaces/ENG/pages/123456/Plan', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/spaces/~5b10ac8d82e05b22cc7d4ef5/pages/777/Notes', { id: '777', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=123456', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/pages/editpage.action?pageId=123456', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/pages/resumedraft.action?draftId=123456', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/edit-v2/123456', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/edit/123456', { id: '123456', host: 'acme.atlassian.net' }],
    ['https://beta.atlassian.net/wiki/x/QAAB', { id: idFromTiny('QAAB')!, host: 'beta.atlassian.net' }],
    ['https://api.atlassian.com/ex/confluence/11111111-aaaa/wiki/api/v2/pages/42', { id: '42', cloudId: '11111111-aaaa' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parsePageRef(input), expected, input);
});

test('short links decode to the id they were made from (checked against the emulator\'s encoder)', () => {
  for (const id of ['1', '65537', '98305', '123456', '2147483647', '4294967296', '9007199254740993']) {
    assert.equal(idFromTiny(tinyFor(id)), id, `${id} → ${tinyFor(id)}`);
  }
  assert.equal(idFromTiny('not/valid'), undefined);
});

test('what does not name a page is a usage error saying what to pass', () => {
  for (const input of ['', 'Quarterly plan', 'https://acme.atlassian.net/wiki/spaces/ENG/overview', 'https://acme.atlassian.net/wiki/display/ENG/Plan', 'https://acme.atlassian.net/wiki/spaces/ENG/blog/2024/01/01/55/News']) {
    assert.throws(
      () => parsePageRef(input),
      (e: unknown) => e instanceof AppError && e.code === 'USAGE' && /page id/.test(e.hint ?? ''),
      input,
    );
  }
});
