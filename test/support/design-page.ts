import type { AdfDoc, AdfNode } from '../../src/core/adf/types.js';

const text = (t: string, marks?: AdfNode['marks']): AdfNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });

/**
 * A page shaped like the ones Confluence's editor writes: localIds everywhere, a macro, media, a
 * mention, a layout, an inline-comment anchor, a link with `__confluenceMetadata`, a table with
 * `__autoSize` and a codeBlock with `language: null` (the quirks real pages carry).
 */
export function designPage(): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: [
      { type: 'extension', attrs: { extensionType: 'com.atlassian.confluence.macro.core', extensionKey: 'toc', parameters: { macroParams: {} }, localId: 'ext-1' } },
      { type: 'heading', attrs: { level: 1, localId: 'h-1' }, content: [text('Overview')] },
      {
        type: 'paragraph',
        attrs: { localId: 'p-1' },
        content: [
          text('The '),
          text('quarterly', [{ type: 'strong' }]),
          text(' plan', [{ type: 'strong' }, { type: 'annotation', attrs: { id: 'c-77', annotationType: 'inlineComment' } }]),
          text(' is owned by '),
          { type: 'mention', attrs: { id: '557058:aa', text: '@Ada', accessLevel: '' } },
          text('. See '),
          text('the spec', [{ type: 'link', attrs: { href: 'https://example.com/spec', __confluenceMetadata: { linkType: 'page' } } }]),
          text('.'),
        ],
      },
      { type: 'mediaSingle', attrs: { layout: 'center', width: 50 }, content: [{ type: 'media', attrs: { id: 'f-1', type: 'file', collection: 'contentId-1' } }] },
      { type: 'heading', attrs: { level: 2, localId: 'h-2' }, content: [text('Notes')] },
      { type: 'paragraph', attrs: { localId: 'p-2' }, content: [text('First note about the plan.')] },
      { type: 'codeBlock', attrs: { language: null }, content: [text('npm run plan')] },
      { type: 'heading', attrs: { level: 2, localId: 'h-3' }, content: [text('Risks')] },
      {
        type: 'table',
        attrs: { isNumberColumnEnabled: false, layout: 'default', __autoSize: true, localId: 't-1' },
        content: [
          { type: 'tableRow', content: [{ type: 'tableHeader', attrs: {}, content: [{ type: 'paragraph', content: [text('Risk')] }] }] },
          { type: 'tableRow', content: [{ type: 'tableCell', attrs: { background: '#fff' }, content: [{ type: 'paragraph', content: [text('Slip of the plan')] }] }] },
        ],
      },
      {
        type: 'layoutSection',
        content: [
          { type: 'layoutColumn', attrs: { width: 50 }, content: [{ type: 'paragraph', content: [text('Left column')] }] },
          { type: 'layoutColumn', attrs: { width: 50 }, content: [{ type: 'paragraph', content: [text('Right column')] }] },
        ],
      },
      { type: 'heading', attrs: { level: 1, localId: 'h-4' }, content: [text('Notes')] },
      { type: 'paragraph', attrs: { localId: 'p-3' }, content: [text('Closing notes.')] },
    ],
  };
}
