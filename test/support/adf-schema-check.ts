import { createRequire } from 'node:module';

/**
 * The official ADF JSON schema, compiled once per test process. Test-only: the product validates
 * with the schema compiled at build time.
 */
let compiled: ((doc: unknown) => boolean) | undefined;
export function schemaValid(doc: unknown): boolean {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv-draft-04') as new (options: object) => { compile(schema: object): (doc: unknown) => boolean };
    compiled = new Ajv({ strict: false, allErrors: false }).compile(require('@atlaskit/adf-schema/dist/json-schema/v1/full.json') as object);
  }
  return compiled(doc);
}
