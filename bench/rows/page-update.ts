/**
 * `pages update` of the largest seeded page (about 170 KB of real ADF) with one paragraph changed, as
 * a whole process (start, login, GET, Markdown back to ADF against the base, validation, PUT), against
 * a script doing only the bare GET and PUT of the same change. Before each run the page file is made
 * afresh from the current version, as `pages get` would write it, with one sentence added.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SITES } from '../../test/emulator/server.js';
import { PageStore, seedPages } from '../../test/emulator/pages.js';
import { renderDoc } from '../../src/core/adf/index.js';
import { withFrontMatter } from '../../src/core/adf/front-matter.js';
import type { AdfDoc } from '../../src/core/adf/types.js';
import { compare } from '../harness.js';

const site = DEFAULT_SITES[0]!;
// The emulator seeds the same pages in the same order, so the ids found here are the ones it serves.
const seeded = seedPages(new PageStore(), site.id);
const page = seeded.huge;
const first = page.versions[0]!.body as AdfDoc;
const paragraph = first.content.findIndex((b) => b.type === 'paragraph' && (b.content ?? []).length > 0 && b.content!.every((n) => n.type === 'text'));
let run = 0;

compare({
  name: `\`pages update\` of a ${Math.round(JSON.stringify(first).length / 1000)} KB real page, one paragraph changed`,
  emulator: { pages: true },
  beforeEach: async (ctx) => {
    const url = `${ctx.apiUrl}/ex/confluence/${ctx.cloudId}/wiki/api/v2/pages/${page.id}?body-format=atlas_doc_format`;
    const current = (await (await fetch(url, { headers: { authorization: `Bearer ${ctx.accessToken}` } })).json()) as {
      title: string;
      version: { number: number };
      body: { atlas_doc_format: { value: string } };
    };
    const { blocks } = renderDoc(JSON.parse(current.body.atlas_doc_format.value) as AdfDoc);
    blocks[paragraph] = `${blocks[paragraph]} Run ${++run}.`;
    fs.writeFileSync(path.join(ctx.home, 'page.md'), withFrontMatter({ id: page.id, title: current.title, version: current.version.number }, `${blocks.join('\n\n')}\n`));
  },
  cli: (ctx) => ['pages', 'update', page.id, '--file', path.join(ctx.home, 'page.md')],
  baseline: (ctx) => [ctx.baseline('bare-update.mjs'), ctx.apiUrl, ctx.cloudId, page.id, ctx.accessToken, String(paragraph), 'Bare.'],
  baselineLabel: 'a bare GET + PUT script',
  target: 2,
});
