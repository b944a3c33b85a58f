import type { Command } from 'commander';
import { buildProgram } from './program.js';

/**
 * Every command's help text, made from the real command tree at build time. The entry point serves
 * a plain `--help` from it without loading commander, which is most of a cold start.
 */
export function helpTexts(version: string): Record<string, string> {
  let buffer = '';
  const program = buildProgram({ version, action: () => async () => undefined, loginTimeoutS: 300, output: { writeOut: (s) => void (buffer += s), writeErr: (s) => void (buffer += s) } });
  const texts: Record<string, string> = {};
  const visit = (command: Command, path: string[]) => {
    if ((command as unknown as { _hidden?: boolean })._hidden) return;
    buffer = '';
    command.outputHelp();
    texts[path.join(' ')] = buffer;
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return texts;
}
