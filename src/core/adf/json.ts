import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError } from '../errors.js';

/**
 * Parses JSON text, or throws ADF_NOT_JSON naming the place as `source:line:column`, which editors and
 * terminals turn into a jump to the mistake. JSON.parse gives no place for most mistakes; a strict
 * jsonc-parser pass over the broken text finds it.
 */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const offset = first?.offset ?? Number(/at position (\d+)/.exec((error as Error).message)?.[1] ?? text.length);
    const reason = first ? words(printParseErrorCode(first.error)) : (error as Error).message;
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = before.at(-1)!.length + 1;
    throw new AppError('ADF_NOT_JSON', `${source}:${line}:${column}: not valid JSON: ${reason}.`, {
      hint: 'ADF is JSON: {"type": "doc", "version": 1, "content": [...]}. Fix the text at that place.',
      details: { source, line, column },
    });
  }
}

/** `CloseBraceExpected` → `close brace expected`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
