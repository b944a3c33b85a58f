/**
 * `npm run bench:page-update`: `pages update` of a 170 KB real page with one changed paragraph, as a
 * whole process (start-up, login, GET, Markdown back to ADF against the base, validation, PUT),
 * against a node process doing only the bare GET and PUT of the same change. Target: within 2×.
 * Medians of 7 runs, alternating. Exits 1 when the target is missed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtlassianEmulator, DEFAULT_SITES } from '../test/emulator/server.js';
import { signedInHome } from '../test/support/core.js';
import { BIN } from '../test/support/cli.js';
import { renderDoc } from '../src/core/adf/to-markdown.js';
import { withFrontMatter } from '../src/core/adf/front-matter.js';
import type { AdfDoc } from '../src/core/adf/types.js';

const RUNS = 7;
const TARGET = 2;
const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const site = DEFAULT_SITES[0]!;

const emu = await new AtlassianEmulator({ pages: true }).start();
const s = await signedInHome(emu);
try {
  const page = emu.seeded.get(site.id)!.huge;
  const body = () => emu.pages.current(page).body as AdfDoc;
  const bytes = JSON.stringify(body()).length;
  const k = body().content.findIndex((b) => b.type === 'paragraph' && (b.content ?? []).every((n) => n.type === 'text' && !n.marks));
  if (k < 0) throw new Error('the large page has no plain paragraph to change');
  const file = path.join(s.home, 'page.md');
  const token = s.login.secrets.accessToken!;
  // Spawned asynchronously: the emulator answers from this process's event loop.
  const time = (args: string[], env: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const start = performance.now();
      const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${args.join(' ')} failed: ${stderr}`))));
    });
  const ours = async (i: number) => {
    const { blocks } = renderDoc(body());
    blocks[k] = `${blocks[k]} Ours ${i}.`;
    fs.writeFileSync(file, withFrontMatter({ id: page.id, title: emu.pages.current(page).title, version: emu.pages.current(page).number }, `${blocks.join('\n\n')}\n`));
    const before = emu.pages.current(page).number;
    const ms = await time([BIN, 'pages', 'update', page.id, '--file', file], s.env);
    if (emu.pages.current(page).number !== before + 1) throw new Error('pages update wrote nothing');
    return ms;
  };
  const bare = (i: number) => time([path.join(here, 'bare-update.js'), emu.apiUrl, site.id, page.id, token, String(k), `Bare ${i}.`], {});
  await ours(0);
  await bare(0);
  const oursMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    oursMs.push(await ours(i));
    bareMs.push(await bare(i));
  }
  const ratio = median(oursMs) / median(bareMs);
  console.log('| figure | value |');
  console.log('| --- | --- |');
  console.log(`| pages update, ${Math.round(bytes / 1000)} KB page, one paragraph (median of ${RUNS}) | ${median(oursMs).toFixed(0)} ms |`);
  console.log(`| bare GET + PUT of the same change, node process | ${median(bareMs).toFixed(0)} ms |`);
  console.log(`| pages update / bare (target ≤ ${TARGET}×) | ${ratio.toFixed(2)}×${ratio > TARGET ? ' — MISSED' : ''} |`);
  if (ratio > TARGET) {
    process.stderr.write(`target missed: pages update takes ${ratio.toFixed(2)}× the bare GET and PUT (target ≤ ${TARGET}×)\n`);
    process.exitCode = 1;
  }
} finally {
  await s.cleanup();
  await emu.stop();
}
