import { AppError } from '../errors.js';
import { nodeText } from './merge.js';
import type { AdfDoc } from './types.js';

const normalize = (s: string) => s.replace(/^\s*#+\s*/, '').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The section under a top-level heading: the heading's index in `doc.content` and the exclusive end
 * (the next heading of the same or a higher level). `Parent > Child` picks a heading under another.
 */
export function findSection(doc: AdfDoc, heading: string): { index: number; end: number; level: number } {
  const headings: { index: number; level: number; text: string; path: string[] }[] = [];
  const trail: { level: number; text: string }[] = [];
  doc.content.forEach((block, index) => {
    if (block.type !== 'heading') return;
    const level = Number(block.attrs?.['level'] ?? 1);
    const text = nodeText(block);
    while (trail.length && trail.at(-1)!.level >= level) trail.pop();
    trail.push({ level, text });
    headings.push({ index, level, text, path: trail.map((t) => t.text) });
  });
  const wanted = heading.split(' > ').map(normalize);
  const found = headings.filter((h) => {
    const path = h.path.map(normalize);
    return wanted.every((w, k) => path[path.length - wanted.length + k] === w);
  });
  if (found.length === 0) {
    throw new AppError('SECTION_NOT_FOUND', `The page has no heading "${heading}".`, {
      hint: 'Name one of the headings the page has (`confluence-adf pages get` shows them).',
      details: { heading, headings: headings.map((h) => h.text) },
    });
  }
  if (found.length > 1) {
    const candidates = found.map((h) => h.path.join(' > '));
    throw new AppError('SECTION_AMBIGUOUS', `The page has ${found.length} headings "${heading}": ${candidates.join('; ')}.`, {
      hint: 'Name the heading with its parents, as in "Parent > Heading".',
      details: { heading, candidates },
    });
  }
  const { index, level } = found[0]!;
  let end = index + 1;
  while (end < doc.content.length) {
    const block = doc.content[end]!;
    if (block.type === 'heading' && Number(block.attrs?.['level'] ?? 1) <= level) break;
    end++;
  }
  return { index, end, level };
}
