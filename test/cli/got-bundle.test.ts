/**
 * The CLI's got (dist/bundle/got.cjs) loads http2-wrapper, cacheable-request, cacheable-lookup (from
 * dist/bundle/got-lazy.cjs), node:https and node:tls only when a request needs them. These tests run it in a child process, as
 * the CLI does: plain HTTP must not load them, and HTTPS (checked certificates), HTTP/2 and the cache
 * must still work through the stand-ins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirement } from '../support/requirements.js';

const gotBundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/bundle/got.cjs');
// As the CLI loads it: through the bin's loader, which compiles the bundle as written (already wrapped).
const loader = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/load-cached.js');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** Runs `script` in a fresh node with `got` bound to the CLI's bundle; returns its JSON answer. */
function inChild(script: string, env: Record<string, string> = {}): Record<string, unknown> {
  const source = `
const got = require(${JSON.stringify(loader)})(${JSON.stringify(gotBundle)});
const loaded = () => Object.keys(require.cache).filter((k) => k.endsWith('got-lazy.cjs') || ['http2-wrapper', 'cacheable-request', 'cacheable-lookup'].some((m) => k.includes('/node_modules/' + m + '/')))
  .concat(process.moduleLoadList.filter((m) => m === 'NativeModule https' || m === 'NativeModule http2' || m === 'NativeModule tls'));
// Exits when answered: an HTTP/2 session in got's global agent would keep the process alive.
const answer = (out) => process.stdout.write(JSON.stringify(out), () => process.exit(0));
(async () => { ${script} })().then(answer, (e) => answer({ error: e.code ?? e.message }));`;
  const out = execFileSync(process.execPath, ['-e', source], { env: { PATH: process.env.PATH ?? '', NODE_DISABLE_COMPILE_CACHE: '1', ...env }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as Record<string, unknown>;
}

test('plain HTTP through the CLI got loads no TLS, HTTP/2 or cache machinery', () => {
  const out = inChild(`
const http = require('node:http');
const server = http.createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"ok":1}'); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const body = await got('http://127.0.0.1:' + server.address().port + '/x').json();
server.close();
return { body, loaded: loaded() };`);
  assert.deepEqual(out, { body: { ok: 1 }, loaded: [] });
});

test('HTTPS checks certificates, and HTTP/2 and the cache work, through the stand-ins', { skip: requirement(hasOpenssl, 'openssl') }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadf-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    const out = inChild(
      `
const https = require('node:https');
const fs = require('node:fs');
const dir = ${JSON.stringify(dir)};
const ca = fs.readFileSync(dir + '/cert.pem', 'utf8');
const server = require('node:http2').createSecureServer({ key: fs.readFileSync(dir + '/key.pem'), cert: ca, allowHTTP1: true }, (q, r) => {
  r.setHeader('content-type', 'application/json');
  r.setHeader('cache-control', 'max-age=60');
  r.end(JSON.stringify({ version: q.httpVersion }));
});
await new Promise((r) => server.listen(0, 'localhost', r));
const url = 'https://localhost:' + server.address().port + '/x';
const untrusted = await got(url).json().then(() => 'accepted', (e) => e.code);
const http1 = await got(url, { https: { certificateAuthority: ca } }).json();
const http2 = await got(url, { http2: true, https: { certificateAuthority: ca } }).json();
const cache = new Map();
const first = await got(url, { cache, https: { certificateAuthority: ca } });
const second = await got(url, { cache, https: { certificateAuthority: ca } });
server.close();
return { untrusted, http1, http2, cached: [first.isFromCache, second.isFromCache] };`,
    );
    assert.deepEqual(out, { untrusted: 'DEPTH_ZERO_SELF_SIGNED_CERT', http1: { version: '1.1' }, http2: { version: '2.0' }, cached: [false, true] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
