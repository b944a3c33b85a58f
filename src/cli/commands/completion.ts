import type { CommandContext } from '../main.js';

export async function run(ctx: CommandContext, _options: unknown, args: string[]): Promise<number> {
  const { completionScript } = await import('../completion.js');
  ctx.io.stdout.write(completionScript(args[0] as 'bash' | 'zsh' | 'fish'));
  return 0;
}
