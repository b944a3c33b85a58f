// Types of a file scripts/build-adf-validator.mjs generates into dist at build time.
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
/** The whole official schema: stops at the first error. */
export declare const doc: CompiledValidator;
