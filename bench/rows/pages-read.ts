/**
 * Reading pages as a user pays for it: `pages get` of the 170 KB page made of the real ADF corpus (as
 * ADF and as Markdown) against a script that fetches it and writes its body, and `pages search --all`
 * over 5,000 hits against a `fetch` loop over the same result pages.
 */
import { DEFAULT_SITES } from '../../test/emulator/server.js';
import { PageStore, seedPages } from '../../test/emulator/pages.js';
import { compare } from '../harness.js';

const site = DEFAULT_SITES[0]!;
// The emulator seeds the same pages in the same order, so the id found here is the one it serves.
const huge = seedPages(new PageStore(), site.id).huge;
const kb = Math.round(JSON.stringify(huge.versions[0]!.body).length / 1000);
const HITS = 5_000;

for (const format of ['adf', 'markdown'] as const) {
  compare({
    name: `\`pages get --format ${format}\` of a ${kb} KB page of real ADF`,
    emulator: { pages: true, sites: [{ ...site, spaceCount: 3 }] },
    cli: () => ['pages', 'get', huge.id, '--format', format],
    baseline: (ctx) => [ctx.baseline('page-body.mjs'), ctx.apiUrl, ctx.cloudId, huge.id, ctx.accessToken],
    baselineLabel: 'a script fetching the page and writing its body',
    check: (stdout, side) => (stdout.length > (side === 'cli' && format === 'markdown' ? 10_000 : kb * 1000) ? undefined : `printed only ${stdout.length} characters`),
    target: 1.5,
  });
}

compare({
  name: `\`pages search --all --json\`, ${HITS.toLocaleString('en')} hits`,
  emulator: { pages: true, bulkPages: HITS, sites: [{ ...site, spaceCount: 3 }] },
  cli: () => ['pages', 'search', 'space = "BULK"', '--all', '--json'],
  baseline: (ctx) => [ctx.baseline('search-loop.mjs'), ctx.apiUrl, ctx.cloudId, ctx.accessToken, 'space = "BULK"'],
  baselineLabel: 'a `fetch` loop script',
  check: (stdout) => {
    const count = (JSON.parse(stdout) as unknown[]).length;
    return count === HITS ? undefined : `printed ${count} hits, not ${HITS}`;
  },
  target: 1.2,
});
