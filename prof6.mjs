import { toMarkdown, fromMarkdown } from './dist/src/core/adf/index.js';
import { loadCorpus } from './dist/test/support/adf-corpus.js';
const blocks = loadCorpus().flatMap((d) => d.doc.content);
const content = []; let size = 0;
for (let i = 0; size < 100_000; i++) { const b = blocks[i % blocks.length]; content.push(b); size += JSON.stringify(b).length + 1; }
const doc = { type: 'doc', version: 1, content };
const md = toMarkdown(doc); const edited = md.replace(/\b(the)\b/, 'THE');
const mode = process.argv[2];
for (let i = 0; i < 40; i++) { if (mode === 'to') toMarkdown(doc); else fromMarkdown(edited, { base: doc }); }
const t = performance.now(); for (let i = 0; i < 10; i++) { if (mode === 'to') toMarkdown(doc); else fromMarkdown(edited, { base: doc }); } console.log(mode, ((performance.now() - t) / 10).toFixed(1));
