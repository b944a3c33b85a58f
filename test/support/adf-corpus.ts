import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdfDoc } from '../../src/core/adf/types.js';

/** The corpus lives in the source tree; from dist/test/support this climbs back to the repository root. */
export const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/adf');

export interface CorpusDoc {
  /** File name without `.json`, e.g. `confluence-page-node-doc`. */
  name: string;
  doc: AdfDoc;
  /** Size of the file as stored. */
  bytes: number;
}

/** Every real ADF document of test/fixtures/adf (see SOURCES.md there), sorted by name. */
export function loadCorpus(): CorpusDoc[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
      return { name: file.slice(0, -'.json'.length), doc: JSON.parse(text) as AdfDoc, bytes: Buffer.byteLength(text) };
    });
}
