import fs from 'node:fs/promises';
import { text as readText } from 'node:stream/consumers';
import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { parse, type ParseError } from 'jsonc-parser';
import { AppError, isAppError } from '../../../core/errors.js';
import type { AdfDoc } from '../../../core/adf/types.js';

/** The text of FILE, or of standard input for "-" or nothing (never the keyboard). */
export async function readInput(ctx: CommandContext, source: string | undefined, what: string, verb: string): Promise<{ text: string; name: string }> {
  const file = source ?? '-';
  if (file === '-' && ctx.io.stdin.isTTY) {
    throw usage(`adf ${verb} reads ${what} from a file or a pipe, not from the keyboard.`, `Run \`confluence-adf adf ${verb} FILE\`, or pipe it in: \`cat FILE | confluence-adf adf ${verb}\`.`);
  }
  try {
    return { text: file === '-' ? await readText(ctx.io.stdin) : await fs.readFile(file, 'utf8'), name: file === '-' ? 'standard input' : file };
  } catch (error) {
    throw usage(`Cannot read ${file}: ${(error as Error).message}`, `Name an existing file with ${what}, or - for standard input.`);
  }
}

/**
 * Parses JSON, naming the place of a mistake (line and column). JSON.parse gives no place for most
 * mistakes; a strict jsonc-parser pass over the broken text finds it.
 */
export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const found: ParseError[] = [];
    parse(text, found, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const position = /position (\d+)/.exec(message)?.[1];
    const offset = found[0]?.offset ?? (position === undefined ? undefined : Number(position));
    let place = '';
    if (offset !== undefined) {
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      place = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    throw new AppError('ADF_INVALID', `${name} is not JSON${place}: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?"(.*)" is not valid JSON$/s, '')}.`, {
      hint: 'Pass an ADF document: the JSON Confluence stores a page body in ({"type":"doc","version":1,"content":[...]}).',
      details: { source: name },
    });
  }
}

/** Parses an ADF document, naming the place of a JSON mistake (line and column) or what makes it no document. */
export function parseAdf(text: string, name: string): AdfDoc {
  const value = parseJson(text, name);
  const problem =
    typeof value !== 'object' || value === null || Array.isArray(value)
      ? `the top level is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object`
      : (value as { type?: unknown }).type !== 'doc'
        ? `its "type" is ${JSON.stringify((value as { type?: unknown }).type)}, not "doc"`
        : !Array.isArray((value as { content?: unknown }).content)
          ? 'it has no "content" array'
          : undefined;
  if (problem) {
    throw new AppError('ADF_INVALID', `${name} is not an ADF document: ${problem}.`, {
      hint: 'Pass a whole document, {"type":"doc","version":1,"content":[...]}, e.g. the body `pages get --format adf` prints.',
      details: { source: name },
    });
  }
  return value as AdfDoc;
}

/** Names the input in a core error about the Markdown ("notes.md, line 4: …"). */
export function inFile(error: unknown, name: string): unknown {
  if (!isAppError(error) || error.code !== 'ADF_MARKDOWN_INVALID') return error;
  return new AppError(error.code, `${name}, ${error.message.replace(/^Line/, 'line')}`, { hint: error.hint, details: { ...error.details, source: name }, cause: error });
}
