/**
 * A scripted stand-in for a person's browser, used as $BROWSER in child-process tests. It follows
 * redirects from the authorize URL, answers the emulator's consent page with $FAKE_BROWSER_DECISION
 * (accept by default), lands on the loopback callback, and writes what it saw to $FAKE_BROWSER_LOG.
 */
import fs from 'node:fs';

const decision = process.env.FAKE_BROWSER_DECISION ?? 'accept';
let current = process.argv[process.argv.length - 1]!;
let init: RequestInit = {};
let page = '';
let status = 0;
for (let hop = 0; hop < 10; hop++) {
  const response = await fetch(current, { ...init, redirect: 'manual' });
  status = response.status;
  page = await response.text();
  const location = response.headers.get('location');
  if (status >= 300 && status < 400 && location) {
    current = new URL(location, current).toString();
    init = {};
    continue;
  }
  const txn = /name="txn" value="([^"]+)"/.exec(page)?.[1];
  if (status === 200 && txn) {
    current = new URL('/authorize/consent', current).toString();
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ txn, decision }).toString() };
    continue;
  }
  break;
}
if (process.env.FAKE_BROWSER_LOG) fs.writeFileSync(process.env.FAKE_BROWSER_LOG, JSON.stringify({ status, url: current, page }));
