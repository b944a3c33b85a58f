import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { diffArrays } from 'diff';
import type { CompiledValidator, SchemaError } from './schema-verdict.cjs';
import type { GuideEntry } from './schema-nodes.cjs';
import type { AdfDoc } from './types.js';

export interface AdfValidationError {
  /** JSON pointer into the document, e.g. `/content/3/attrs/panelType`. */
  path: string;
  message: string;
}

export interface AdfValidation {
  valid: boolean;
  /** The most useful first: one per mistake, deepest first, never the schema's anyOf noise. */
  errors: AdfValidationError[];
}

type Json = Record<string, unknown>;

/** Prefix of the raw schema message given when the walk finds nothing (it should not happen). */
export const FALLBACK = 'The ADF schema says: ';

/** Where the base document has nothing to compare with: the node is new, judge all of it. */
const NEW = Symbol('new');
type Base = unknown | typeof NEW;

/**
 * The validators generated at build time from the official schema (scripts/build-adf-validator.mjs):
 * half a megabyte each, so loaded on first use, and the per-node one only for a document that needs it.
 * require, not import: importing CommonJS from ESM makes Node scan the whole file for its export names,
 * which costs more than running it. In the bundled CLI `require` is the bundle's own, and the files
 * are copied beside it (literal paths, so the bundler can leave them outside).
 */
// The bundler empties import.meta; a global `require` (node -e, a REPL) would not tell the two apart.
const bundled = typeof import.meta.url !== 'string';
let verdictModule: { doc: CompiledValidator } | undefined;
let nodesModule: { guide: { root: string; defs: Record<string, GuideEntry> }; validators: Record<string, CompiledValidator> } | undefined;

function verdict(): CompiledValidator {
  verdictModule ??= (bundled ? require('./schema-verdict.cjs') : createRequire(import.meta.url)('./schema-verdict.cjs')) as { doc: CompiledValidator };
  return verdictModule.doc;
}

function nodes(): NonNullable<typeof nodesModule> {
  if (!nodesModule) {
    const loaded = (bundled ? require('./schema-nodes.cjs') : createRequire(import.meta.url)('./schema-nodes.cjs')) as Record<string, unknown> & { guide: { root: string; defs: Record<string, GuideEntry> } };
    nodesModule = { guide: loaded.guide, validators: loaded as unknown as Record<string, CompiledValidator> };
  }
  return nodesModule;
}

/**
 * Validates a document against the official ADF JSON schema. The verdict is the schema's; the errors
 * say what is wrong where, one per mistake. With `base`, only what differs from the base is judged:
 * real pages carry attributes the schema forbids, and an edit is never refused for what it did not touch.
 */
export function validateAdf(doc: unknown, options: { base?: AdfDoc } = {}): AdfValidation {
  const wholeDocument = verdict();
  if (wholeDocument(doc)) return { valid: true, errors: [] };
  if (!isObject(doc) || doc.type !== 'doc') {
    return {
      valid: false,
      errors: [{ path: '', message: `Not an ADF document: expected {"type": "doc", "version": 1, "content": [...]}, found ${describeValue(doc)}.` }],
    };
  }
  const found = judgeNode(doc, [nodes().guide.root], '', options.base === undefined ? NEW : options.base, 'at the top');
  if (found.length === 0 && options.base === undefined) {
    // The walk below follows the schema's shape; should it ever miss what Ajv saw, say what Ajv said.
    const first = wholeDocument.errors?.[0];
    return { valid: false, errors: [{ path: first?.instancePath ?? '', message: `${FALLBACK}${first?.message ?? 'does not match the ADF schema'}.` }] };
  }
  const errors = found
    .map((error, order) => ({ ...error, order }))
    .sort((a, b) => depth(b.path) - depth(a.path) || a.order - b.order)
    .map(({ path, message }) => ({ path, message }));
  return { valid: errors.length === 0, errors };
}

/** A node judged against the definitions its position allows (those of its parent's content or marks). */
function judgeNode(node: unknown, candidates: string[], path: string, base: Base, where: string): AdfValidationError[] {
  if (base !== NEW && isDeepStrictEqual(node, base)) return [];
  if (!isObject(node) || typeof node.type !== 'string') {
    return [{ path, message: `Expected a node: an object with a "type", found ${describeValue(node)}.` }];
  }
  const matching = candidates.filter((name) => nodes().guide.defs[name]?.type === node.type);
  if (matching.length === 0) return [{ path, message: notAllowed(node.type, candidates, where) }];
  // Own fields first, for every definition of this type (cheap: no children); the children, which are
  // most of the work, only for the definitions that could still do best, fewest own errors first.
  const ranked = matching.map((name) => ({ name, own: ownErrors(name, node, path, base) })).sort((a, b) => a.own.length - b.own.length);
  let best: AdfValidationError[] | undefined;
  for (const { name, own } of ranked) {
    if (best && own.length >= best.length) continue;
    const errors = [...own, ...childErrors(name, node, path, base)];
    if (errors.length === 0) return [];
    if (!best || errors.length < best.length) best = errors;
  }
  return best ?? [];
}

/** A node's own fields checked by the schema with its children set aside. */
function ownErrors(name: string, node: Json, path: string, base: Base): AdfValidationError[] {
  const { guide, validators } = nodes();
  const entry = guide.defs[name]!;
  const shallow: Json = { ...node };
  if (Array.isArray(node.content)) shallow.content = [];
  if (Array.isArray(node.marks)) shallow.marks = [];
  const validate = validators[`def_${name}`]!;
  validate(shallow);
  const own = oneBranchEach(validate.errors ?? []).filter(
    (error) => !((error.instancePath === '/content' || error.instancePath === '/marks') && (error.keyword === 'minItems' || error.keyword === 'maxItems')),
  );
  const found: AdfValidationError[] = [];
  for (const error of own) {
    if (base !== NEW && untouched(node, base, errorLocation(error))) continue;
    found.push({ path: path + error.instancePath, message: describe(error, node, entry) });
  }
  return found;
}

/** The number of children and marks a definition allows, then each child judged in turn. */
function childErrors(name: string, node: Json, path: string, base: Base): AdfValidationError[] {
  const entry = nodes().guide.defs[name]!;
  const type = entry.type;
  const found: AdfValidationError[] = [];
  const baseNode = base !== NEW && isObject(base) ? base : undefined;
  for (const key of ['content', 'marks'] as const) {
    const children = node[key];
    const spec = entry[key];
    if (!Array.isArray(children) || !spec) continue;
    const baseChildren = baseNode && Array.isArray(baseNode[key]) ? (baseNode[key] as unknown[]) : undefined;
    const count = children.length;
    const unchangedCount = base !== NEW && baseChildren?.length === count;
    const noun = key === 'content' ? 'child node' : 'mark';
    if (spec.min !== undefined && count < spec.min && !unchangedCount) {
      found.push({ path: `${path}/${key}`, message: `${type} needs at least ${plural(spec.min, noun)}, has ${count}.` });
    }
    if (spec.max !== undefined && count > spec.max && !unchangedCount) {
      found.push({ path: `${path}/${key}`, message: `${type} takes at most ${plural(spec.max, noun)}, has ${count}.` });
    }
    const partners = base === NEW ? children.map(() => NEW) : pairWithBase(children, baseChildren);
    children.forEach((child, i) => {
      const candidates = spec.tuple ? (spec.tuple[i] ?? []) : (spec.list ?? []);
      const where = key === 'content' ? `inside ${type}` : `on ${type}`;
      found.push(...judgeNode(child, candidates, `${path}/${key}/${i}`, partners[i], where));
    });
  }
  return found;
}

/**
 * The schema's anyOf on attributes (a card by url, by data or by datasource) reports every branch:
 * keep the branch with the fewest errors, the one the node was most likely meant to be, and drop the
 * "must match a schema in anyOf" summary it explains.
 */
function oneBranchEach(errors: SchemaError[]): SchemaError[] {
  const branchOf = (error: SchemaError) => /^(.*?\/anyOf)\/(\d+)(\/|$)/.exec(error.schemaPath);
  const counts = new Map<string, Map<string, number>>();
  for (const error of errors) {
    const m = branchOf(error);
    if (!m) continue;
    const branches = counts.get(m[1]!) ?? new Map<string, number>();
    branches.set(m[2]!, (branches.get(m[2]!) ?? 0) + 1);
    counts.set(m[1]!, branches);
  }
  const chosen = new Map<string, string>();
  for (const [prefix, branches] of counts) {
    chosen.set(prefix, [...branches].sort((a, b) => a[1] - b[1])[0]![0]);
  }
  return errors.filter((error) => {
    if (error.keyword === 'anyOf' && chosen.has(error.schemaPath)) return false;
    const m = branchOf(error);
    return !m || chosen.get(m[1]!) === m[2];
  });
}

/**
 * Pairs each child with the base child it came from: equal children by a diff of the two lists, then each
 * remaining child with the nearest remaining base child of the same type. Unpaired children are new.
 */
function pairWithBase(children: unknown[], baseChildren: unknown[] | undefined): Base[] {
  const partners: Base[] = children.map(() => NEW);
  if (!baseChildren) return partners;
  const typeOf = (node: unknown) => (isObject(node) ? node.type : undefined);
  const unpairedBase: number[] = [];
  const unpaired: number[] = [];
  let i = 0;
  let j = 0;
  const diff = diffArrays(
    baseChildren.map((child) => JSON.stringify(child)),
    children.map((child) => JSON.stringify(child)),
  );
  for (const change of diff) {
    for (let n = 0; n < change.value.length; n++) {
      if (change.removed) unpairedBase.push(j++);
      else if (change.added) unpaired.push(i++);
      else partners[i++] = baseChildren[j++];
    }
  }
  // Closest pairs first, so a block inserted at the top does not take the partner of one edited below.
  const pairs = unpaired.flatMap((k) => unpairedBase.filter((r) => typeOf(baseChildren[r]) === typeOf(children[k])).map((r) => ({ k, r })));
  pairs.sort((a, b) => Math.abs(a.r - a.k) - Math.abs(b.r - b.k));
  const taken = new Set<number>();
  for (const { k, r } of pairs) {
    if (partners[k] !== NEW || taken.has(r)) continue;
    partners[k] = baseChildren[r];
    taken.add(r);
  }
  return partners;
}

/** The JSON pointer, relative to the node, of the value an error is about. */
function errorLocation(error: SchemaError): string {
  const property = error.params.additionalProperty ?? error.params.missingProperty;
  return typeof property === 'string' ? `${error.instancePath}/${escapePointer(property)}` : error.instancePath;
}

function untouched(node: Json, base: unknown, pointer: string): boolean {
  return isDeepStrictEqual(valueAt(node, pointer), valueAt(base, pointer));
}

function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describe(error: SchemaError, node: Json, entry: { type: string; attrs?: string[] }): string {
  const relative = error.instancePath;
  const type = entry.type;
  const value = valueAt(node, relative);
  const subject = subjectOf(type, relative);
  const params = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      if (relative === '/attrs') {
        const accepted = entry.attrs?.length ? ` (it accepts: ${entry.attrs.join(', ')})` : ' (it takes no attributes)';
        return `${type} does not accept the attribute "${property}"${accepted}.`;
      }
      return `${subject} does not accept the property "${property}".`;
    }
    case 'required':
      return relative === '/attrs'
        ? `${type} is missing the attribute "${String(params.missingProperty)}".`
        : `${subject} is missing "${String(params.missingProperty)}".`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return `${subject} must be ${(params.allowedValues as unknown[]).length === 1 ? '' : 'one of '}${allowed}, not ${JSON.stringify(value)}.`;
    }
    case 'type':
      return `${subject} must be ${String(params.type)}, not ${describeValue(value)}.`;
    case 'pattern':
      return `${subject} ${JSON.stringify(value)} does not match the pattern ${String(params.pattern)}.`;
    case 'minItems':
    case 'maxItems':
      return `${subject} ${error.keyword === 'minItems' ? 'needs at least' : 'takes at most'} ${plural(Number(params.limit), 'item')}, has ${Array.isArray(value) ? value.length : 0}.`;
    default:
      return `${subject} ${error.message ?? 'is not valid'} (found ${JSON.stringify(value)}).`;
  }
}

function subjectOf(type: string, relative: string): string {
  if (relative === '') return type;
  const parts = relative.slice(1).split('/');
  if (parts[0] === 'attrs' && parts.length > 1) return `${type} attribute "${parts.slice(1).join('.')}"`;
  if (parts[0] === 'attrs') return `${type} attributes`;
  return `${type} "${parts.join('.')}"`;
}

function notAllowed(type: string, candidates: string[], where: string): string {
  const { guide } = nodes();
  const allowed = [...new Set(candidates.map((name) => guide.defs[name]?.type).filter(Boolean))];
  const list = allowed.length > 0 ? allowed.join(', ') : 'none';
  const known = Object.values(guide.defs).some((entry) => entry.type === type);
  return known ? `"${type}" is not allowed ${where} (allowed here: ${list}).` : `Unknown type "${type}" ${where} (allowed here: ${list}).`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return typeof (value as Json).type === 'string' ? `type ${JSON.stringify((value as Json).type)}` : 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
