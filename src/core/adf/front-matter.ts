import { parseDocument, stringify } from 'yaml';
import { AppError } from '../errors.js';

/** The YAML block at the top of a page's Markdown: `---`, YAML, `---`, then the body. */
const BLOCK = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/**
 * Splits page Markdown into its front matter (id, title, space, version, url, parent, ...) and body.
 * Text without a block has empty meta; a block that is not a YAML mapping is an error naming the line.
 */
export function splitFrontMatter(text: string): { meta: Record<string, unknown>; body: string } {
  const input = text.replace(/^\uFEFF/, '');
  const match = BLOCK.exec(input);
  if (!match) return { meta: {}, body: input };
  const document = parseDocument(match[1]!, { prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    throw new AppError('USAGE', `The front matter is not valid YAML: ${error.message.split('\n')[0]}`, {
      hint: 'Fix the block between the two --- lines (or remove it to keep only the body).',
      details: { line: (error.linePos?.[0]?.line ?? 0) + 1 },
    });
  }
  const meta = document.toJS() as unknown;
  if (meta !== null && (typeof meta !== 'object' || Array.isArray(meta))) {
    throw new AppError('USAGE', 'The front matter must be a YAML mapping (key: value lines).', { hint: 'Write it as `id: "123"`, `title: ...`, one per line.', details: { line: 2 } });
  }
  return { meta: (meta ?? {}) as Record<string, unknown>, body: input.slice(match[0].length) };
}

/**
 * Puts a front matter block before a body. Fields left undefined are left out; ids stay strings
 * (quoted), so a YAML reader never turns "00123" or a long id into a number.
 */
export function withFrontMatter(meta: Record<string, unknown>, body: string): string {
  const kept = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined));
  if (Object.keys(kept).length === 0) return body;
  const yaml = stringify(kept, { lineWidth: 0 });
  return `---\n${yaml}---\n${body}`;
}
