/** The corpus is what SOURCES.md says it is: every document listed with its origin and a licence that allows it here. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR, loadCorpus } from '../support/adf-corpus.js';

test('every corpus document is an ADF doc listed in SOURCES.md with its repository, path and licence', () => {
  const sources = fs.readFileSync(path.join(CORPUS_DIR, 'SOURCES.md'), 'utf8');
  const rows = new Map([...sources.matchAll(/^\| `([^`]+\.json)`[^|]*\| ([^|]+) \| `([^`]+)` \| `([0-9a-f]{40})` \| ([^|]+) \|$/gm)].map((m) => [m[1]!, m[5]!.trim()]));
  const corpus = loadCorpus();
  assert.ok(corpus.length >= 30, `${corpus.length} documents`);
  for (const { name, doc } of corpus) {
    assert.equal(doc.type, 'doc', name);
    assert.ok(Array.isArray(doc.content), name);
    assert.ok(rows.has(`${name}.json`), `${name}.json has no row in SOURCES.md`);
    assert.ok(['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC'].includes(rows.get(`${name}.json`)!), `${name}: licence ${rows.get(`${name}.json`)}`);
  }
  assert.equal(rows.size, corpus.length, 'SOURCES.md lists a file that is not there');
});
