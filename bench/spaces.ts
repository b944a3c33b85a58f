/**
 * `npm run bench:spaces`: (1) 10,000 spaces through our client against a minimal fetch loop over the
 * same pages, side by side, medians of 5 runs; (2) under an emulator-enforced limit: requests, 429s,
 * and the time taken against the least the limit allows.
 */
import { AtlassianEmulator, DEFAULT_SITES } from '../test/emulator/server.js';
import { coreFor, seedLogin } from '../test/support/core.js';
import { tempHome } from '../test/support/cli.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const site0 = DEFAULT_SITES[0]!;
const site = { cloudId: site0.id, name: site0.name, url: site0.url };

async function ours(home: string, emu: AtlassianEmulator, limit: number, rate?: { perSecond: number; burst: number }): Promise<{ ms: number; count: number }> {
  const core = coreFor(home, emu, rate ? { rate } : {});
  const start = performance.now();
  let count = 0;
  for await (const page of core.allSpaces(site, { limit })) count += page.results.length;
  return { ms: performance.now() - start, count };
}

async function minimal(token: string, emu: AtlassianEmulator): Promise<{ ms: number; count: number }> {
  const start = performance.now();
  let count = 0;
  let next: string | undefined = '/wiki/api/v2/spaces?limit=250';
  while (next) {
    const response: Response = await fetch(`${emu.apiUrl}/ex/confluence/${site.cloudId}${next}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { results: unknown[]; _links: { next?: string } };
    count += body.results.length;
    next = body._links.next;
  }
  return { ms: performance.now() - start, count };
}

const { home, cleanup } = await tempHome();
const big = await new AtlassianEmulator({ sites: [{ ...site0, spaceCount: 10_000 }] }).start();
try {
  const login = await seedLogin(coreFor(home, big), big, Date.now());
  const oursMs: number[] = [];
  const minimalMs: number[] = [];
  await ours(home, big, 250);
  await minimal(login.secrets.accessToken!, big);
  for (let i = 0; i < RUNS; i++) {
    const a = await ours(home, big, 250);
    const b = await minimal(login.secrets.accessToken!, big);
    if (a.count !== 10_000 || b.count !== 10_000) throw new Error(`counts ${a.count} / ${b.count}`);
    oursMs.push(a.ms);
    minimalMs.push(b.ms);
  }
  console.log('| figure | value |');
  console.log('| --- | --- |');
  console.log(`| 10,000 spaces, ours (median of ${RUNS}) | ${median(oursMs).toFixed(0)} ms |`);
  console.log(`| 10,000 spaces, minimal fetch loop | ${median(minimalMs).toFixed(0)} ms |`);
  console.log(`| overhead ratio (target ≤ 1.2×) | ${(median(oursMs) / median(minimalMs)).toFixed(2)}× |`);
} finally {
  await big.stop();
}

const limited = await new AtlassianEmulator({ sites: [{ ...site0, spaceCount: 2_000 }], rateLimit: { perSecond: 10, burst: 20 } }).start();
try {
  await seedLogin(coreFor(home, limited), limited, Date.now());
  for (const [label, rate] of [
    ['default limiter (10/s, burst 100)', undefined],
    ['limiter matched to the limit (10/s, burst 20)', { perSecond: 10, burst: 20 }],
  ] as const) {
    await new Promise((resolve) => setTimeout(resolve, 2500)); // let the emulator's bucket refill
    const before = { requests: limited.requests.length, limited: limited.stats.rateLimited };
    const result = await ours(home, limited, 25, rate);
    const requests = limited.requests.length - before.requests;
    const pages = 80;
    const minimumMs = ((pages - 20) / 10) * 1000;
    console.log(`| ${label}: pages, requests, 429s | ${pages}, ${requests}, ${limited.stats.rateLimited - before.limited} |`);
    console.log(`| ${label}: time / least the limit allows (target ≤ 1.1×) | ${(result.ms / 1000).toFixed(1)} s / ${(minimumMs / 1000).toFixed(1)} s = ${(result.ms / minimumMs).toFixed(2)}×, ${result.count === 2000 ? 'no failures' : `only ${result.count} spaces`} |`);
  }
} finally {
  await limited.stop();
  await cleanup();
}
