import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { stripControl } from '../../../core/text.js';
import { pageHandle, pageSummary, type Page } from '../../../core/confluence/pages.js';

export interface GetOptions {
  format?: 'markdown' | 'adf';
  version?: string;
  output?: string;
  json?: boolean;
  site?: string;
}

export function parseVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1) throw usage(`Invalid --version "${raw}".`, 'Pass --version with a version number from the page history (1, 2, ...).');
  return n;
}

/** The page as Markdown with its front matter, or its ADF document. */
export async function pageBody(page: Page, format: 'markdown' | 'adf'): Promise<string> {
  if (format === 'adf') return `${JSON.stringify(page.adf, null, 2)}\n`;
  const [{ toMarkdown }, { withFrontMatter }] = await Promise.all([import('../../../core/adf/index.js'), import('../../../core/adf/front-matter.js')]);
  return withFrontMatter(pageHandle(page), toMarkdown(page.adf!));
}

export async function run(ctx: CommandContext, options: GetOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  const format = options.format ?? 'markdown';
  const version = parseVersion(options.version);
  const core = await ctx.core();
  const target = await core.pages.resolve(args[0]!, options.site);
  const page = await core.pages.get(target, version === undefined ? {} : { version });
  const body = await pageBody(page, format);
  const out = options.json
    ? `${JSON.stringify({ ...pageSummary(page), format, body: format === 'adf' ? page.adf : body })}\n`
    : body;
  if (options.output) {
    const { writeFileAtomic } = await import('../../../core/store/atomic.js');
    await writeFileAtomic(options.output, out, { userFile: true });
    ctx.say(`Wrote "${stripControl(page.title)}" (version ${page.version?.number ?? '?'}, ${format}) to ${options.output}.`);
    return 0;
  }
  // A person's terminal gets the text without control characters; a pipe or file gets it as stored.
  io.stdout.write(io.stdout.isTTY ? stripControl(out).replace(/\n?$/, '\n') : out);
  return 0;
}
