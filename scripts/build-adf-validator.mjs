/**
 * Build step: compiles the official ADF JSON schema (`@atlaskit/adf-schema`'s dist/json-schema/v1/full.json,
 * draft-04, Apache-2.0, a dev dependency) with Ajv into standalone code, bundled with the few Ajv runtime
 * helpers it calls into CommonJS files in dist/src/core/adf/. Running the CLI then needs neither ajv
 * nor the @atlaskit packages, and never pays the half second Ajv takes to compile.
 *
 * Two files, loaded on first use: schema-verdict.cjs (`doc`: is this document valid?) and, only needed
 * when a document is not, schema-nodes.cjs: one validator per schema definition (`def_NAME`) and a
 * `guide`: for each node and mark definition its `type`, which definitions its children and marks may
 * use, and its attribute names. src/core/adf/validate.ts walks a broken document with them to name the one mistake a
 * person can act on, instead of the hundreds of errors the schema's anyOf branches produce.
 *
 * Skipped when the output was built from the same schema version by the same version of this script.
 */
import { build } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const OUT_DIR = 'dist/src/core/adf';
const OUT_VERDICT = `${OUT_DIR}/schema-verdict.cjs`;
const OUT_NODES = `${OUT_DIR}/schema-nodes.cjs`;
const schemaFile = require.resolve('@atlaskit/adf-schema/dist/json-schema/v1/full.json');
const schemaText = fs.readFileSync(schemaFile, 'utf8');
const schemaVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(schemaFile), '../../../package.json'), 'utf8')).version;
const stamp = `// @atlaskit/adf-schema ${schemaVersion}, ${crypto
  .createHash('sha256')
  .update(fs.readFileSync(new URL(import.meta.url)))
  .update(schemaText)
  .digest('hex')
  .slice(0, 16)}`;

const fresh = (file) => fs.existsSync(file) && fs.readFileSync(file, 'utf8').startsWith(stamp);
if (fresh(OUT_VERDICT) && fresh(OUT_NODES)) process.exit(0);

const Ajv = require('ajv-draft-04');
const standaloneCode = require('ajv/dist/standalone').default;
const schema = JSON.parse(schemaText);
const definitions = schema.definitions;

// Two compilations. `doc` stops at the first error: the verdict on a whole page, fast (with allErrors,
// every failing anyOf branch would validate its whole subtree: 100 times slower on a 200 KB page).
// `def_*` report every error, and are only ever run on one node stripped of its children, to list what
// is wrong with that node itself. inlineRefs: false keeps one function per definition, shared by the
// exports, instead of copies inlined at every reference.
const verdictAjv = new Ajv({ allErrors: false, strict: false, code: { source: true } });
verdictAjv.addSchema(schema, 'adf');
const verdictCode = standaloneCode(verdictAjv, { doc: 'adf' });
const nodeAjv = new Ajv({ allErrors: true, strict: false, inlineRefs: false, code: { source: true } });
nodeAjv.addSchema(schema, 'adf');
const exportsMap = {};
for (const name of Object.keys(definitions)) exportsMap[`def_${name}`] = `adf#/definitions/${name}`;
const nodeCode = standaloneCode(nodeAjv, exportsMap);

const refName = (ref) => ref.replace('#/definitions/', '');

/** The node or mark type a definition describes (following allOf/$ref), or undefined for a group. */
function typeOf(name, seen = new Set()) {
  if (seen.has(name)) return undefined;
  seen.add(name);
  const def = definitions[name];
  const own = def.properties?.type?.enum;
  if (own?.length === 1) return own[0];
  for (const part of def.allOf ?? []) {
    const t = part.$ref ? typeOf(refName(part.$ref), seen) : part.properties?.type?.enum?.[0];
    if (t) return t;
  }
  return undefined;
}

/** The typed definitions a schema fragment accepts, flattening $ref groups and anyOf. */
function leafDefinitions(fragment) {
  if (!fragment) return [];
  if (fragment.$ref) {
    const name = refName(fragment.$ref);
    return typeOf(name) ? [name] : leafDefinitions(definitions[name]);
  }
  if (fragment.anyOf) return [...new Set(fragment.anyOf.flatMap(leafDefinitions))];
  return [];
}

/** A property's schema in a definition: the last one its allOf parts give (they narrow the first). */
function propertySchema(name, property, seen = new Set()) {
  if (seen.has(name)) return undefined;
  seen.add(name);
  const def = definitions[name];
  let found = def.properties?.[property];
  for (const part of def.allOf ?? []) {
    const inner = part.$ref ? propertySchema(refName(part.$ref), property, seen) : part.properties?.[property];
    if (inner) found = inner;
  }
  return found;
}

function arraySpec(fragment) {
  if (!fragment) return undefined;
  if (fragment.$ref) return arraySpec(definitions[refName(fragment.$ref)]);
  const bounds = { ...(fragment.minItems ? { min: fragment.minItems } : {}), ...(fragment.maxItems !== undefined ? { max: fragment.maxItems } : {}) };
  if (fragment.maxItems === 0) return { list: [], ...bounds };
  if (Array.isArray(fragment.items)) return { tuple: fragment.items.map(leafDefinitions), ...bounds };
  return { list: leafDefinitions(fragment.items), ...bounds };
}

function attributeNames(fragment) {
  if (!fragment) return undefined;
  const names = new Set(Object.keys(fragment.properties ?? {}));
  for (const branch of fragment.anyOf ?? []) for (const key of Object.keys(branch.properties ?? {})) names.add(key);
  return [...names];
}

const guide = { root: 'doc_node', defs: {} };
for (const name of Object.keys(definitions)) {
  const type = typeOf(name);
  if (!type) continue;
  const entry = { type };
  const content = arraySpec(propertySchema(name, 'content'));
  if (content) entry.content = content;
  const marks = arraySpec(propertySchema(name, 'marks'));
  if (marks) entry.marks = marks;
  const attrs = attributeNames(propertySchema(name, 'attrs'));
  if (attrs) entry.attrs = attrs;
  guide.defs[name] = entry;
}

/** Standalone code bundled with the Ajv runtime helpers it requires, so ajv is not needed at run time. */
async function bundle(contents, file) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(file, `${stamp}\n${result.outputFiles[0].text}`);
}
await bundle(verdictCode, OUT_VERDICT);
await bundle(`${nodeCode}\nexports.guide = ${JSON.stringify(guide)};\n`, OUT_NODES);
