/** The README's troubleshooting table quotes the real messages, word for word. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/cli.js';

function sourceText(dir: string): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? sourceText(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : ''))
    .join('\n');
}

test('every message in the README troubleshooting table is one the code prints', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## ', readme.indexOf('## Troubleshooting') + 5));
  const quoted = [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
  assert.ok(quoted.length >= 10, `found ${quoted.length} messages`);
  // Backslashes and template placeholders aside, each literal stretch between "…" must be in src/.
  const source = sourceText(path.join(ROOT, 'src')).replace(/\\`/g, '`').replace(/\\'/g, "'");
  for (const message of quoted) {
    for (const fragment of message.split('…').map((f) => f.trim().replace(/^[,.;:()\s]+|[,.;:()\s]+$/g, ''))) {
      if (fragment.length < 8) continue;
      assert.ok(source.includes(fragment), `README quotes "${fragment}", which no source file says`);
    }
  }
});
