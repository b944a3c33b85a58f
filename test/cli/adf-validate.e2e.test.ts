/** `adf validate` from the built CLI, as a person and a script use it: offline, no login. */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, runCli, tempHome } from '../support/cli.js';
import { CORPUS_DIR } from '../support/adf-corpus.js';

describe('confluence-adf adf validate', () => {
  let home: string;
  let cleanup: () => Promise<void>;
  // A fresh home with no login: validating must never need one.
  const env = () => ({ CONFLUENCE_ADF_HOME: home });
  before(async () => ({ home, cleanup } = await tempHome()));
  after(() => cleanup());

  test('a valid real page: exit 0, a short confirmation on stderr, nothing on stdout', async () => {
    const file = path.join(CORPUS_DIR, 'confluence-page-node-doc.json');
    const r = await runCli(['adf', 'validate', file], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /confluence-page-node-doc\.json is valid ADF/);
  });

  test('an invalid page: exit 1, the mistake with its path on stderr', async () => {
    const file = path.join(CORPUS_DIR, 'atlassian-renderer-media-unsupported-attributes.json');
    const r = await runCli(['adf', 'validate', file], { env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not valid ADF: 1 mistake/);
    assert.match(r.stderr, /\/content\/0\/content\/0\/attrs {2}media does not accept the attribute "newAttribute"/);
  });

  test('--json from stdin: {valid, errors} on stdout, same exit status', async () => {
    const input = await fs.readFile(path.join(CORPUS_DIR, 'atlassian-renderer-unsupported-block.json'), 'utf8');
    const r = await runCli(['adf', 'validate', '--json'], { env: env(), input });
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { valid: boolean; errors: { path: string; message: string }[] };
    assert.equal(out.valid, false);
    assert.equal(out.errors[0]!.path, '/content/0');
    assert.match(out.errors[0]!.message, /Unknown type "notapanel"/);
    const ok = await runCli(['adf', 'validate', '-', '--json'], { env: env(), input: '{"type":"doc","version":1,"content":[]}' });
    assert.equal(ok.code, 0);
    assert.deepEqual(JSON.parse(ok.stdout), { valid: true, errors: [] });
  });

  test('not JSON: exit 1 naming line and column', async () => {
    const r = await runCli(['adf', 'validate'], { env: env(), input: '{"type": "doc",\n  "version": 1,\n  "content": [}\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /standard input is not JSON at line 3, column 15: /);
  });

  test('JSON that is no document: exit 1 saying what was expected', async () => {
    const r = await runCli(['adf', 'validate'], { env: env(), input: '[{"type": "paragraph"}]' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Not an ADF document: expected \{"type": "doc"/);
  });

  test('usage mistakes exit 2; a missing file too', async () => {
    assert.equal((await runCli(['adf', 'validate', 'a.json', 'b.json'], { env: env() })).code, 2);
    assert.equal((await runCli(['adf', 'validate', '--bogus'], { env: env() })).code, 2);
    const missing = await runCli(['adf', 'validate', path.join(home, 'nope.json')], { env: env() });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read .*nope\.json/);
  });

  test('control characters from the document never reach the terminal', async () => {
    const input = JSON.stringify({ type: 'doc', version: 1, content: [{ type: 'evil\u001b[2Jnode', content: [] }] });
    const r = await runCli(['adf', 'validate'], { env: env(), input });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unknown type "evil\[2Jnode"/);
    assert.ok(!r.stderr.includes('\u001b'));
  });

  test('the unbundled module loads its validators where a global require exists too (node -e)', () => {
    const module = path.join(ROOT, 'dist', 'src', 'core', 'adf', 'validate.js');
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(JSON.stringify(m.validateAdf({ type: 'doc', version: 1, content: [{ type: 'rule', bogus: 1 }] }))))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { valid: false, errors: [{ path: '/content/0', message: 'rule does not accept the property "bogus".' }] });
  });
});
