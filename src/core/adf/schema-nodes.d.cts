// Types of a file scripts/build-adf-validator.mjs generates into dist at build time.
import type { CompiledValidator } from './schema-verdict.cjs';
export interface ArraySpec {
  list?: string[];
  tuple?: string[][];
  min?: number;
  max?: number;
}
export interface GuideEntry {
  type: string;
  content?: ArraySpec;
  marks?: ArraySpec;
  attrs?: string[];
}
/** For each node and mark definition: its type, what its children and marks may be, its attribute names. */
export declare const guide: { root: string; defs: Record<string, GuideEntry> };
/** `def_NAME`: one definition of the schema, reporting every error. */
declare const validators: Record<`def_${string}`, CompiledValidator>;
export default validators;
