export type { AdfDoc, AdfMark, AdfNode } from './types.js';
export { toMarkdown, renderDoc } from './to-markdown.js';
export { fromMarkdown, type FromMarkdownOptions } from './from-markdown.js';
export { outline, findSection, headingText, type OutlineEntry, type Section } from './outline.js';
