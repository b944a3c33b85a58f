/** The Markdown dialect, construct by construct (as the README documents it), and the placeholders' rules. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { toMarkdown, fromMarkdown, outline, findSection, type AdfDoc, type AdfNode } from '../../src/core/adf/index.js';
import { AppError } from '../../src/core/errors.js';

const doc = (...content: AdfNode[]): AdfDoc => ({ type: 'doc', version: 1, content });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const t = (text: string, ...marks: AdfNode['marks'] & object): AdfNode => (marks.length ? { type: 'text', text, marks } : { type: 'text', text });

/** [Markdown as toMarkdown writes it, the ADF it stands for (ignoring localIds made up for tasks and decisions)]. */
const constructs: [string, string, AdfNode][] = [
  ['underline', ':u[text]', p(t('text', { type: 'underline' }))],
  ['text colour', ':color[red]{color="#ff5630"}', p(t('red', { type: 'textColor', attrs: { color: '#ff5630' } }))],
  ['highlight', ':bg[lit]{color="#fffae6"}', p(t('lit', { type: 'backgroundColor', attrs: { color: '#fffae6' } }))],
  ['subscript', 'H:sub[2]O', p(t('H'), t('2', { type: 'subsup', attrs: { type: 'sub' } }), t('O'))],
  ['superscript', 'x:sup[2]', p(t('x'), t('2', { type: 'subsup', attrs: { type: 'sup' } }))],
  ['inline comment', ':comment[the words]{#a1b2}', p(t('the words', { type: 'annotation', attrs: { id: 'a1b2', annotationType: 'inlineComment' } }))],
  ['status', ':status[In progress]{color="blue"}', p({ type: 'status', attrs: { text: 'In progress', color: 'blue' } })],
  ['mention', ':mention[@Alice Smith]{#557058-0f4b}', p({ type: 'mention', attrs: { id: '557058-0f4b', text: '@Alice Smith' } })],
  ['date', ':date[2026-11-23]{timestamp="1795392000000"}', p({ type: 'date', attrs: { timestamp: '1795392000000' } })],
  ['emoji', ':emoji[😄]{#1f604 shortName=":smile:"}', p({ type: 'emoji', attrs: { shortName: ':smile:', id: '1f604', text: '😄' } })],
  ['inline card', ':card{url="https://example.com/a"}', p({ type: 'inlineCard', attrs: { url: 'https://example.com/a' } })],
  ['block card', '::card{url="https://example.com/a"}', { type: 'blockCard', attrs: { url: 'https://example.com/a' } }],
  ['embed', '::embed{url="https://example.com/v" layout="center"}', { type: 'embedCard', attrs: { url: 'https://example.com/v', layout: 'center' } }],
  ['panel', ':::panel{type="warning"}\nCareful\n:::', { type: 'panel', attrs: { panelType: 'warning' }, content: [p(t('Careful'))] }],
  ['expand', ':::expand[More]\nHidden\n:::', { type: 'expand', attrs: { title: 'More' }, content: [p(t('Hidden'))] }],
  ['empty paragraph', '::blank', { type: 'paragraph', content: [] }],
  ['ordered list with its start', '3. third', { type: 'orderedList', attrs: { order: 3 }, content: [{ type: 'listItem', content: [p(t('third'))] }] }],
  ['code block with language', '```python\nprint(1)\n```', { type: 'codeBlock', attrs: { language: 'python' }, content: [t('print(1)')] }],
  ['link with title', '[docs](https://x.y "Docs")', p(t('docs', { type: 'link', attrs: { href: 'https://x.y', title: 'Docs' } }))],
  ['strike, strong, em, code', '~~a~~ **b** *c* `d`', p(t('a', { type: 'strike' }), t(' '), t('b', { type: 'strong' }), t(' '), t('c', { type: 'em' }), t(' '), t('d', { type: 'code' }))],
];

const withoutLocalIds = (node: unknown): unknown =>
  JSON.parse(JSON.stringify(node), (key, value) => (key === 'localId' ? undefined : value));

describe('the dialect', () => {
  for (const [name, markdown, adf] of constructs) {
    test(`${name}: ${markdown.split('\n')[0]}`, () => {
      assert.deepStrictEqual(fromMarkdown(markdown).content, [adf]);
      assert.equal(toMarkdown(doc(adf)), `${markdown}\n`);
    });
  }
  test('task lists and decisions: states kept, localIds made up the same way each time', () => {
    const md = '- [ ] to do\n- [x] done\n\n:::decisions\n::decision[We ship]{state="DECIDED"}\n:::\n';
    const adf = fromMarkdown(md);
    assert.deepStrictEqual(withoutLocalIds(adf.content), [
      { type: 'taskList', attrs: {}, content: [{ type: 'taskItem', attrs: { state: 'TODO' }, content: [t('to do')] }, { type: 'taskItem', attrs: { state: 'DONE' }, content: [t('done')] }] },
      { type: 'decisionList', attrs: {}, content: [{ type: 'decisionItem', attrs: { state: 'DECIDED' }, content: [t('We ship')] }] },
    ]);
    assert.match(String(adf.content[0]!.attrs!.localId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepStrictEqual(fromMarkdown(md), adf);
    assert.equal(toMarkdown(adf), md);
  });
  test('editing the date label moves the timestamp to that day', () => {
    const adf = fromMarkdown(':date[2026-12-01]{timestamp="1795392000000"}');
    assert.equal(adf.content[0]!.content![0]!.attrs!.timestamp, String(Date.UTC(2026, 11, 1)));
  });
  test('a colon in prose is text, not a directive', () => {
    assert.deepStrictEqual(fromMarkdown('Note:this at 10:30').content, [p(t('Note:this at 10:30'))]);
  });
});

describe('placeholders', () => {
  const macro: AdfNode = { type: 'extension', attrs: { extensionType: 'com.atlassian.confluence.macro.core', extensionKey: 'toc', parameters: { macroParams: { maxLevel: { value: '2' } } }, localId: 'x1' } };
  const body: AdfNode = { type: 'bodiedExtension', attrs: { extensionKey: 'info', layout: 'default' }, content: [p(t('Inside the macro'))] };
  const base = doc(p(t('Before')), macro, body, p(t('After')));

  test('a macro is a placeholder line with its name; a bodied one shows its body', () => {
    const md = toMarkdown(base);
    assert.match(md, /^::extension\[toc\]\{ref="[0-9a-f]{8}"\}$/m);
    assert.match(md, /^:::bodiedExtension\[info\]\{ref="[0-9a-f]{8}"\}\nInside the macro\n:::$/m);
  });
  test('editing the body keeps the macro and its attributes', () => {
    const edited = fromMarkdown(toMarkdown(base).replace('Inside the macro', 'Inside, edited'), { base });
    assert.deepStrictEqual(edited.content[2], { ...body, content: [p(t('Inside, edited'))] });
    assert.deepStrictEqual(edited.content[1], macro);
  });
  test('deleting its line deletes the node, and nothing else', () => {
    const md = toMarkdown(base).replace(/^::extension.*\n\n/m, '');
    assert.deepStrictEqual(fromMarkdown(md, { base }).content, [base.content[0], body, base.content[3]]);
  });
  test('a moved placeholder moves the node', () => {
    const lines = toMarkdown(base).split('\n\n');
    const moved = [lines[1], lines[0], ...lines.slice(2)].join('\n\n');
    assert.deepStrictEqual(fromMarkdown(moved, { base }).content, [macro, base.content[0], body, base.content[3]]);
  });
  test('an unknown reference, or one without a base, is an error naming the line', () => {
    const md = 'one\n\ntwo\n\n::extension[toc]{ref="0000beef"}\n';
    assert.throws(() => fromMarkdown(md, { base }), (e: unknown) => e instanceof AppError && e.code === 'ADF_MARKDOWN_INVALID' && e.details?.line === 5 && /0000beef/.test(e.message));
    const ref = /ref="([0-9a-f]{8})"/.exec(toMarkdown(base))![1]!;
    assert.throws(() => fromMarkdown(`::extension{ref="${ref}"}`), (e: unknown) => e instanceof AppError && e.code === 'ADF_MARKDOWN_INVALID' && e.details?.line === 1 && /--base/.test(e.hint ?? ''));
  });
  test('a misspelt block directive is an error naming the line', () => {
    assert.throws(() => fromMarkdown('a\n\n:::pannel{type=info}\nx\n:::\n'), (e: unknown) => e instanceof AppError && e.details?.line === 3 && /pannel/.test(e.message));
  });
  test('an unknown mark keeps its text visible and comes back from the base', () => {
    const marked = doc(p(t('kept', { type: 'fragment', attrs: { localId: 'f', name: 'n' } }), t(' plain')));
    const md = toMarkdown(marked);
    assert.match(md, /^:mark\[kept\]\{ref="[0-9a-f]{8}"\} plain$/m);
    assert.deepStrictEqual(fromMarkdown(md.replace('plain', 'changed'), { base: marked }), doc(p(t('kept', { type: 'fragment', attrs: { localId: 'f', name: 'n' } }), t(' changed'))));
  });
});

describe('changed blocks keep what the edit did not touch', () => {
  test("a paragraph keeps its localId, alignment and the link's metadata", () => {
    const link = { type: 'link', attrs: { href: 'https://x.y', __confluenceMetadata: { linkType: 'page', contentId: '42' } } };
    const para: AdfNode = { type: 'paragraph', attrs: { localId: 'p1' }, marks: [{ type: 'alignment', attrs: { align: 'center' } }], content: [t('Read '), t('this page', link), t(' now.')] };
    const edited = fromMarkdown(toMarkdown(doc(para)).replace('now', 'today'), { base: doc(para) });
    assert.deepStrictEqual(edited.content[0], { ...para, content: [t('Read '), t('this page', link), t(' today.')] });
  });
  test('a table cell edit keeps the table, row and cell attributes', () => {
    const cell = (type: string, text: string, attrs: Record<string, unknown> = {}): AdfNode => ({ type, attrs: { colspan: 1, rowspan: 1, ...attrs }, content: [p(t(text))] });
    const table: AdfNode = { type: 'table', attrs: { layout: 'wide', localId: 'tb', __autoSize: true }, content: [
      { type: 'tableRow', content: [cell('tableHeader', 'Name', { colwidth: [120] }), cell('tableHeader', 'Role')] },
      { type: 'tableRow', content: [cell('tableCell', 'Ann'), cell('tableCell', 'Lead', { background: '#ffffff' })] },
    ] };
    const md = toMarkdown(doc(table));
    assert.equal(md, '| Name | Role |\n| - | - |\n| Ann | Lead |\n');
    const edited = fromMarkdown(md.replace('Lead', 'Chair'), { base: doc(table) });
    const expected = structuredClone(table);
    expected.content![1]!.content![1]!.content = [p(t('Chair'))];
    assert.deepStrictEqual(edited.content[0], expected);
  });
});

describe('outline and sections', () => {
  const h = (level: number, text: string): AdfNode => ({ type: 'heading', attrs: { level }, content: [t(text)] });
  const page = doc(p(t('intro')), h(1, 'Plan'), p(t('a')), h(2, 'Risks'), p(t('b')), h(1, 'Notes'), p(t('c')), h(2, 'Risks'));
  test('outline: headings, levels and section sizes in Markdown characters', () => {
    assert.deepStrictEqual(outline(page), [
      { level: 1, text: 'Plan', chars: '# Plan\n\na\n\n## Risks\n\nb'.length },
      { level: 2, text: 'Risks', chars: '## Risks\n\nb'.length },
      { level: 1, text: 'Notes', chars: '# Notes\n\nc\n\n## Risks'.length },
      { level: 2, text: 'Risks', chars: '## Risks'.length },
    ]);
  });
  test('findSection: to the next heading of the same or a higher level; case and #s ignored', () => {
    assert.deepStrictEqual(findSection(page, 'Plan'), { index: 1, end: 5, level: 1 });
    assert.deepStrictEqual(findSection(page, '# notes'), { index: 5, end: 8, level: 1 });
  });
  test('findSection: ambiguous and missing headings are errors with the candidates', () => {
    assert.throws(() => findSection(page, 'Risks'), (e: unknown) => e instanceof AppError && e.code === 'SECTION_AMBIGUOUS' && (e.details?.candidates as unknown[]).length === 2);
    assert.throws(() => findSection(page, 'Budget'), (e: unknown) => e instanceof AppError && e.code === 'SECTION_NOT_FOUND' && (e.details?.headings as string[]).includes('Notes'));
  });
});
