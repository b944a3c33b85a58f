/**
 * What a command writes reaches its reader whole, however stdout is attached: the CLI writes straight to
 * the descriptor of a pipe or a file (src/cli/io.ts) and hands over to Node's own stream when that would
 * block.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../support/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadf-stdio-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
/** A page whose Markdown is half a megabyte: far more than a pipe holds. */
const PAGE = path.join(dir, 'page.json');
const paragraph = (i: number) => ({ type: 'paragraph', content: [{ type: 'text', text: `Paragraph ${i}: ${'words that fill the pipe '.repeat(4)}` }] });
fs.writeFileSync(PAGE, JSON.stringify({ type: 'doc', version: 1, content: Array.from({ length: 5000 }, (_, i) => paragraph(i)) }));

function expected(): string {
  return execFileSync(process.execPath, [BIN, 'adf', 'to-markdown', PAGE], { maxBuffer: 64 << 20, encoding: 'utf8' });
}

test('a large answer into a non-blocking pipe that is read late arrives whole', async () => {
  const whole = expected();
  assert.ok(Buffer.byteLength(whole) > 256 * 1024, 'the answer must be larger than a pipe holds');
  const fifo = path.join(dir, 'out');
  execFileSync('mkfifo', [fifo]);
  const readEnd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writeEnd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  // A child's stdio starts blocking; a parent sharing its own stdout may have made it non-blocking
  // (Node does so for a pipe it writes to). Here the preload does it, so the CLI's first write fills
  // the pipe and meets EAGAIN.
  const preload = path.join(dir, 'nonblocking.cjs');
  fs.writeFileSync(preload, 'process.stdout;\n');
  const child = spawn(process.execPath, ['--require', preload, BIN, 'adf', 'to-markdown', PAGE], { stdio: ['ignore', writeEnd, 'pipe'] });
  fs.closeSync(writeEnd);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // Nobody reads for a while: the pipe stays full.
  await new Promise((resolve) => setTimeout(resolve, 700));
  const chunks: Buffer[] = [];
  const reader = new net.Socket({ fd: readEnd, readable: true, writable: false });
  reader.on('data', (d: Buffer) => chunks.push(d));
  const [code] = await Promise.all([new Promise((resolve) => child.on('close', resolve)), new Promise((resolve) => reader.on('end', resolve))]);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  assert.equal(Buffer.concat(chunks).toString('utf8'), whole);
});

test('an answer redirected to a file is the same as through a pipe', () => {
  const file = path.join(dir, 'out.md');
  const fd = fs.openSync(file, 'w');
  try {
    execFileSync(process.execPath, [BIN, 'adf', 'to-markdown', PAGE], { stdio: ['ignore', fd, 'inherit'] });
  } finally {
    fs.closeSync(fd);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), expected());
});
