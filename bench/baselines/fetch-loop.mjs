// Baseline: walk every page of /wiki/api/v2/spaces with fetch and print the spaces as one JSON array,
// as `spaces list --all --json` does. With RATE and BURST it paces itself with a token bucket that knows
// the enforced limit exactly (the least time that limit allows), and waits out a 429's Retry-After.
// Usage: node fetch-loop.mjs API_URL CLOUD_ID TOKEN LIMIT [RATE BURST]
const [apiUrl, cloudId, token, limit, rate, burst] = process.argv.slice(2);
const pace = rate ? { perSecond: Number(rate), burst: Number(burst) } : undefined;
let tokens = pace?.burst ?? 0;
let last = Date.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function take() {
  for (;;) {
    const now = Date.now();
    tokens = Math.min(pace.burst, tokens + ((now - last) / 1000) * pace.perSecond);
    last = now;
    if (tokens >= 1) return void (tokens -= 1);
    await sleep(Math.ceil(((1 - tokens) / pace.perSecond) * 1000));
  }
}
const out = [];
let count = 0;
let next = `/wiki/api/v2/spaces?limit=${limit}`;
while (next) {
  if (pace) await take();
  const response = await fetch(`${apiUrl}/ex/confluence/${cloudId}${next}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (response.status === 429) {
    await response.arrayBuffer();
    await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
    continue;
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  for (const space of body.results) out.push(`${count++ === 0 ? '\n' : ',\n'}  ${JSON.stringify(space)}`);
  next = body._links?.next;
}
process.stdout.write(`[${out.join('')}${count ? '\n' : ''}]\n`);
