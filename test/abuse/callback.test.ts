/**
 * The loopback callback under thousands of generated requests: it never crashes, never lets a request
 * without the right state through, never reflects markup, and holds both loopback addresses (finding 8 of
 * the security review: another local user bound [::1]:PORT and received the code).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { listenForCallback } from '../../src/core/auth/loopback.js';
import { freePort } from '../support/cli.js';
import type { AppError } from '../../src/core/errors.js';

const STATE = 'the-right-state-0123456789abcdef';
const MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '</title><h1>pwned</h1>'];

function* badRequests(): Generator<{ method: string; path: string; why: string }> {
  for (const markup of MARKUP) {
    yield { method: 'GET', path: `/oauth/callback?error=${encodeURIComponent(markup)}&error_description=${encodeURIComponent(markup)}`, why: 'markup without state' };
    yield { method: 'GET', path: `/oauth/callback?error=${encodeURIComponent(markup)}&state=${encodeURIComponent(markup)}`, why: 'markup as state' };
    yield { method: 'GET', path: `/${encodeURIComponent(markup)}`, why: 'markup in path' };
  }
  for (let i = 0; i < 1500; i++) yield { method: 'GET', path: `/oauth/callback?code=c${i}&state=wrong-${i}`, why: 'wrong state' };
  for (let i = 0; i < 400; i++) yield { method: 'GET', path: `/oauth/callback?code=c${i}`, why: 'missing state' };
  for (let i = 0; i < 100; i++) yield { method: 'GET', path: `/oauth/callback?code=c${i}&state=${STATE.slice(0, i % STATE.length)}`, why: 'a prefix of the state' };
  for (const path of ['/', '/favicon.ico', '/oauth', '/oauth/callback/', '/oauth/callback/../x', '/OAUTH/CALLBACK?state=' + STATE, '//oauth/callback?state=' + STATE]) yield { method: 'GET', path, why: 'other path' };
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD']) yield { method, path: `/oauth/callback?code=x&state=${STATE}`, why: 'other method' };
  for (const q of ['%ZZ', '?&&&==', 'state=%E0%A4%A', 'state[]=a&state[]=b', 'code=' + 'A'.repeat(6000), 'state=' + 'B'.repeat(6000), '%00%00state=x']) yield { method: 'GET', path: `/oauth/callback?${q}`, why: 'malformed query' };
  yield { method: 'GET', path: `/oauth/callback?code=x&state=${STATE}&state=other`, why: 'duplicated state, second wrong' };
}

async function send(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, redirect: 'manual' });
  return { status: response.status, body: method === 'HEAD' ? '' : await response.text() };
}

function rawSend(port: number, bytes: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.resume();
  });
}

test('thousands of bad requests: no crash, no code exchange without the right state, no reflected markup', async (t) => {
  const port = await freePort();
  const listener = await listenForCallback({ port, state: STATE });
  let arrived = 0;
  const arrival = listener.arrival.then((a) => {
    arrived++;
    return a;
  });
  let tried = 0;
  const mishandled: string[] = [];
  try {
    assert.deepEqual(listener.addresses, ['127.0.0.1', '::1'], 'both loopback addresses, nothing routable');

    const requests = [...badRequests()];
    // In waves of 50 concurrent requests.
    for (let i = 0; i < requests.length; i += 50) {
      const wave = requests.slice(i, i + 50);
      const results = await Promise.all(wave.map((r) => send(port, r.method, r.path).catch((e: Error) => ({ status: -1, body: e.message }))));
      results.forEach((result, j) => {
        tried++;
        const r = wave[j]!;
        if (result.status === 200 || result.status === -1) mishandled.push(`${r.why}: ${r.method} ${r.path.slice(0, 80)} → ${result.status}`);
        if (MARKUP.some((m) => result.body.includes(m))) mishandled.push(`${r.why}: reflected markup`);
      });
    }
    for (const garbage of ['GARBAGE\r\n\r\n', 'GET /oauth/callback HTTP/9.9\r\n\r\n', `GET /oauth/callback?state=${STATE} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`, '\x00\x01\x02\x03', 'GET / HTTP/1.1\r\n' + 'X: y\r\n'.repeat(5000) + '\r\n']) {
      tried++;
      await rawSend(port, garbage);
    }
    if (arrived !== 0) mishandled.push(`an arrival without the right state (${arrived})`);

    // The right request still works after all that, once; a repeat is refused.
    const good = send(port, 'GET', `/oauth/callback?code=the-code&state=${STATE}`);
    const a = await arrival;
    assert.equal(a.query.get('code'), 'the-code');
    a.finish({ ok: true, detail: 'done.' });
    assert.equal((await good).status, 200);
    const after = await send(port, 'GET', `/oauth/callback?code=again&state=${STATE}`);
    tried++;
    if (after.status !== 410) mishandled.push(`a request after success got ${after.status}`);
  } finally {
    await listener.close();
  }
  t.diagnostic(`callback abuse: ${tried} bad inputs tried, ${mishandled.length} mishandled`);
  assert.deepEqual(mishandled, []);
  assert.ok(tried >= 2000);
});

test('a port taken on [::1] by someone else fails the sign-in loudly instead of leaving IPv6 to them', async () => {
  const port = await freePort();
  const squatter = net.createServer((socket) => socket.end()).listen(port, '::1');
  await new Promise((resolve) => squatter.once('listening', resolve));
  try {
    await assert.rejects(listenForCallback({ port, state: STATE }), (e: AppError) => e.code === 'CALLBACK_PORT_IN_USE' && /taken on \[::1\]/.test(e.message));
    // Nothing is left listening on 127.0.0.1 either.
    await assert.rejects(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').on('connect', resolve).on('error', reject)));
  } finally {
    squatter.close();
  }
});

test('the code arriving over IPv6 completes the sign-in', async () => {
  const listener = await listenForCallback({ port: await freePort(), state: STATE });
  try {
    const response = fetch(`http://[::1]:${listener.port}/oauth/callback?code=abc&state=${STATE}`);
    const arrival = await listener.arrival;
    assert.equal(arrival.query.get('code'), 'abc');
    arrival.finish({ ok: true, detail: 'Signed in.' });
    assert.equal((await response).status, 200);
  } finally {
    await listener.close();
  }
});
