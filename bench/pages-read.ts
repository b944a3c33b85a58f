/**
 * `npm run bench:pages-read`: whole processes against the emulator, medians of 7 runs.
 * (1) `pages get` of a 170 KB page built from the real ADF corpus, to a file, against a node script
 *     that fetches the same page and writes its body (target ≤ 1.5×), for --format adf and markdown.
 * (2) `pages search --all --json` over 5,000 hits against a raw fetch loop over the same pages (target ≤ 1.2×).
 * Exits 1 when a target is missed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtlassianEmulator, DEFAULT_SITES } from '../test/emulator/server.js';
import { BIN, tempHome } from '../test/support/cli.js';
import { coreFor, seedLogin } from '../test/support/core.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const site = DEFAULT_SITES[0]!;

function timed(args: string[], env: Record<string, string>, stdoutFile?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    void (async () => {
      const out = stdoutFile ? await fs.open(stdoutFile, 'w') : undefined;
      const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: env.CONFLUENCE_ADF_HOME ?? '', ...env }, stdio: ['ignore', out ? out.fd : 'ignore', 'pipe'] });
      let stderr = "";
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => {
        void out?.close();
        if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
        else resolve(performance.now() - start);
      });
    })();
  });
}

const { home, cleanup } = await tempHome();
const emu = await new AtlassianEmulator({ pages: true, sites: [{ ...site, spaceCount: 3 }] }).start();
let failed = false;
const rows: string[] = [];
try {
  const login = await seedLogin(coreFor(home, emu), emu, Date.now());
  const token = login.secrets.accessToken!;
  const env = { CONFLUENCE_ADF_HOME: home, CONFLUENCE_ADF_AUTH_URL: emu.authUrl, CONFLUENCE_ADF_API_URL: emu.apiUrl };
  const huge = emu.seeded.get(site.id)!.huge;
  const bytes = JSON.stringify(emu.pages.current(huge).body).length;

  const fetchPage = path.join(home, 'fetch-page.mjs');
  await fs.writeFile(
    fetchPage,
    `import fs from 'node:fs/promises';
const [url, token, file] = process.argv.slice(2);
const r = await fetch(url, { headers: { authorization: 'Bearer ' + token } });
const page = await r.json();
await fs.writeFile(file, page.body.atlas_doc_format.value);
`,
  );
  const pageUrl = `${emu.apiUrl}/ex/confluence/${site.id}/wiki/api/v2/pages/${huge.id}?body-format=atlas_doc_format&include-version=true`;
  const out = path.join(home, 'out');
  const raw: number[] = [];
  const ours: Record<'adf' | 'markdown', number[]> = { adf: [], markdown: [] };
  await timed([fetchPage, pageUrl, token, out], {});
  await timed([BIN, 'pages', 'get', huge.id, '--output', out], env);
  for (let i = 0; i < RUNS; i++) {
    raw.push(await timed([fetchPage, pageUrl, token, out], {}));
    ours.adf.push(await timed([BIN, 'pages', 'get', huge.id, '--format', 'adf', '--output', out], env));
    ours.markdown.push(await timed([BIN, 'pages', 'get', huge.id, '--output', out], env));
  }
  rows.push(`| pages get, ${Math.round(bytes / 1000)} KB page: node script fetching and writing the body | ${median(raw).toFixed(0)} ms |`);
  for (const format of ['adf', 'markdown'] as const) {
    const ratio = median(ours[format]) / median(raw);
    const ok = ratio <= 1.5;
    failed ||= !ok;
    rows.push(`| pages get --format ${format} --output (target ≤ 1.5×) | ${median(ours[format]).toFixed(0)} ms = ${ratio.toFixed(2)}× ${ok ? 'ok' : 'MISSED'} |`);
  }

  emu.pages.addSpace(site.id, 'HITS', 'Hits');
  for (let i = 0; i < 5_000; i++) {
    emu.pages.addPage(site.id, { space: 'HITS', title: `Hit ${i}`, body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `result number ${i}` }] }] } });
  }
  const cql = 'space = "HITS"';
  const loop = path.join(home, 'search-loop.mjs');
  await fs.writeFile(
    loop,
    `const [api, cloudId, token, cql] = process.argv.slice(2);
const results = [];
let next = '/rest/api/search?' + new URLSearchParams({ cql, limit: '250' });
while (next) {
  const r = await fetch(api + '/ex/confluence/' + cloudId + '/wiki' + next, { headers: { authorization: 'Bearer ' + token } });
  const body = await r.json();
  results.push(...body.results);
  next = body._links.next;
}
process.stdout.write(JSON.stringify(results));
if (results.length !== 5000) { console.error('got ' + results.length); process.exit(1); }
`,
  );
  const loopMs: number[] = [];
  const searchMs: number[] = [];
  const hits = path.join(home, 'hits.json');
  await timed([loop, emu.apiUrl, site.id, token, cql], {}, hits);
  for (let i = 0; i < RUNS; i++) {
    loopMs.push(await timed([loop, emu.apiUrl, site.id, token, cql], {}, hits));
    searchMs.push(await timed([BIN, 'pages', 'search', cql, '--all', '--json'], env, hits));
  }
  const count = (JSON.parse(await fs.readFile(hits, 'utf8')) as unknown[]).length;
  if (count !== 5_000) throw new Error(`pages search --all gave ${count} hits`);
  const ratio = median(searchMs) / median(loopMs);
  failed ||= ratio > 1.2;
  rows.push(`| pages search --all, 5,000 hits: raw fetch loop | ${median(loopMs).toFixed(0)} ms |`);
  rows.push(`| pages search --all --json (target ≤ 1.2×) | ${median(searchMs).toFixed(0)} ms = ${ratio.toFixed(2)}× ${ratio <= 1.2 ? 'ok' : 'MISSED'} |`);
} finally {
  await emu.stop();
  await cleanup();
}
console.log('| figure | value |');
console.log('| --- | --- |');
for (const row of rows) console.log(row);
if (failed) {
  console.error('pages-read: a target was missed');
  process.exitCode = 1;
}
