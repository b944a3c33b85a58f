/**
 * A scripted stand-in for a person's browser, used as $BROWSER in child-process tests: it follows the
 * redirects from the authorize URL to the loopback callback (the emulator auto-consents) and writes
 * the final page to $FAKE_BROWSER_LOG when that is set.
 */
import fs from 'node:fs';

const url = process.argv[process.argv.length - 1]!;
let current = url;
let page = '';
let status = 0;
for (let hop = 0; hop < 10; hop++) {
  const response = await fetch(current, { redirect: 'manual' });
  status = response.status;
  page = await response.text();
  const location = response.headers.get('location');
  if (status >= 300 && status < 400 && location) {
    current = new URL(location, current).toString();
    continue;
  }
  break;
}
if (process.env.FAKE_BROWSER_LOG) fs.writeFileSync(process.env.FAKE_BROWSER_LOG, JSON.stringify({ status, url: current, page }));
