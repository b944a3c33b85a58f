/** `spaces list --all`: a long walk through pages, free and under an enforced rate limit. */
import { DEFAULT_SITES } from '../../test/emulator/server.js';
import { compare, figure, peakRssMb, BIN } from '../harness.js';

const site = DEFAULT_SITES[0]!;
const spaces = (n: number) => ({ sites: [{ ...site, spaceCount: n }] });
const countOf = (n: number) => (stdout: string) => {
  const count = JSON.parse(stdout).length as number;
  return count === n ? undefined : `printed ${count} spaces, not ${n}`;
};

compare({
  name: '`spaces list --all --json`, 10,000 spaces',
  emulator: spaces(10_000),
  cli: () => ['spaces', 'list', '--all', '--json'],
  baseline: (ctx) => [ctx.baseline('fetch-loop.mjs'), ctx.apiUrl, ctx.cloudId, ctx.accessToken, '250'],
  baselineLabel: 'a `fetch` loop script',
  check: countOf(10_000),
  target: 1.2,
});

figure({
  name: '`spaces list --all --json`, 10,000 spaces: peak RSS',
  emulator: spaces(10_000),
  target: 'reported',
  measure: async (ctx) => {
    const ours = await peakRssMb([BIN, 'spaces', 'list', '--all', '--json'], ctx.env);
    const base = await peakRssMb([ctx.baseline('fetch-loop.mjs'), ctx.apiUrl, ctx.cloudId, ctx.accessToken, '250'], ctx.env);
    return { value: `${ours.toFixed(0)} MB (the \`fetch\` loop script: ${base.toFixed(0)} MB)`, ok: true };
  },
});

/**
 * The default limiter (10/s, burst 100, the documented limit) against an API that enforces less
 * (10/s, burst 20), and against one that enforces exactly the documented limit. The baseline paces
 * itself knowing the enforced limit, so it takes the least time that limit allows.
 */
for (const [label, limit, pages] of [
  ['enforced 10/s, burst 20', { perSecond: 10, burst: 20 }, 50],
  ['enforced 10/s, burst 100 (the documented limit)', { perSecond: 10, burst: 100 }, 120],
] as const) {
  compare({
    name: `default limiter, ${pages} pages, ${label}`,
    emulator: { ...spaces(pages * 25), rateLimit: limit },
    cli: () => ['spaces', 'list', '--all', '--json', '--limit', '25'],
    baseline: (ctx) => [ctx.baseline('fetch-loop.mjs'), ctx.apiUrl, ctx.cloudId, ctx.accessToken, '25', String(limit.perSecond), String(limit.burst)],
    baselineLabel: 'a `fetch` loop paced to the enforced limit',
    beforeEach: (ctx) => ctx.emulator.refill(),
    check: countOf(pages * 25),
    cliRequests: (runs) => {
      const limited = runs.map((r) => r.rateLimited);
      const total = limited.reduce((a, b) => a + b, 0);
      const documented = limit.burst === 100;
      return {
        text: `429s per run: ${Math.min(...limited)}–${Math.max(...limited)}${documented ? ' (target 0)' : ''}`,
        ok: !documented || total === 0,
      };
    },
    target: 1.05,
  });
}
