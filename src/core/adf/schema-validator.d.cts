// Types of the file scripts/build-adf-validator.mjs generates into dist at build time.
interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
interface CompiledValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
interface ArraySpec {
  list?: string[];
  tuple?: string[][];
  min?: number;
  max?: number;
}
interface GuideEntry {
  type: string;
  content?: ArraySpec;
  marks?: ArraySpec;
  attrs?: string[];
}
declare const compiled: {
  doc: CompiledValidator;
  guide: { root: string; defs: Record<string, GuideEntry> };
  [definition: `def_${string}`]: CompiledValidator;
};
export = compiled;
