import { AppError } from '../errors.js';
import type { AdfDoc, AdfNode } from './types.js';
import { renderDoc } from './to-markdown.js';

export interface OutlineEntry {
  level: number;
  text: string;
  /** Size of the section (the heading to the next heading of the same or a higher level) in Markdown characters. */
  chars: number;
}

export interface Section {
  /** The heading's index in doc.content. */
  index: number;
  /** Exclusive end of the section in doc.content. */
  end: number;
  level: number;
}

/** The text a heading shows: its text, mentions, emoji, statuses and dates. */
export function headingText(node: AdfNode): string {
  let out = '';
  for (const child of node.content ?? []) {
    if (typeof child.text === 'string') out += child.text;
    else if (child.type === 'hardBreak') out += ' ';
    else if (typeof child.attrs?.text === 'string') out += child.attrs.text;
    else if (typeof child.attrs?.shortName === 'string') out += child.attrs.shortName;
    else if (child.content) out += headingText(child);
  }
  return out.replace(/\s+/g, ' ').trim();
}

function headingLevel(node: AdfNode): number | undefined {
  const level = node.attrs?.level;
  return node.type === 'heading' && typeof level === 'number' ? level : undefined;
}

function sectionEnd(content: AdfNode[], index: number, level: number): number {
  for (let i = index + 1; i < content.length; i++) {
    const other = headingLevel(content[i]!);
    if (other !== undefined && other <= level) return i;
  }
  return content.length;
}

/** The top-level headings with their levels and the size of their sections. */
export function outline(doc: AdfDoc): OutlineEntry[] {
  const content = Array.isArray(doc.content) ? doc.content : [];
  const { blocks } = renderDoc(doc);
  const entries: OutlineEntry[] = [];
  content.forEach((node, index) => {
    const level = headingLevel(node);
    if (level === undefined) return;
    const end = sectionEnd(content, index, level);
    let chars = 0;
    for (let i = index; i < end; i++) chars += blocks[i]!.length + (i > index ? 2 : 0);
    entries.push({ level, text: headingText(node), chars });
  });
  return entries;
}

/**
 * The section under a heading, found by its text: exact first, then ignoring case and leading #s.
 * Throws SECTION_NOT_FOUND (details.headings) or SECTION_AMBIGUOUS (details.candidates).
 */
export function findSection(doc: AdfDoc, heading: string): Section {
  const content = Array.isArray(doc.content) ? doc.content : [];
  const headings = content.flatMap((node, index) => {
    const level = headingLevel(node);
    return level === undefined ? [] : [{ index, level, text: headingText(node) }];
  });
  const wanted = heading.replace(/^\s*#+\s+/, '').replace(/\s+/g, ' ').trim();
  let found = headings.filter((h) => h.text === wanted);
  if (found.length === 0) found = headings.filter((h) => h.text.toLowerCase() === wanted.toLowerCase());
  if (found.length === 1) {
    const { index, level } = found[0]!;
    return { index, end: sectionEnd(content, index, level), level };
  }
  if (found.length > 1) {
    throw new AppError('SECTION_AMBIGUOUS', `${found.length} headings read "${wanted}".`, {
      hint: 'Rename one of the headings, or edit the whole page.',
      details: { candidates: found.map((h) => ({ index: h.index, level: h.level, text: h.text })) },
    });
  }
  throw new AppError('SECTION_NOT_FOUND', `No heading reads "${wanted}".`, {
    hint: headings.length ? `Use one of the page's headings: ${headings.slice(0, 10).map((h) => `"${h.text}"`).join(', ')}${headings.length > 10 ? ', …' : ''}.` : 'The page has no headings: edit the whole page.',
    details: { headings: headings.map((h) => h.text) },
  });
}
