import type { CommandContext } from '../../main.js';
import { usage } from '../../main.js';
import { colors } from '../../io.js';
import { oneLine } from '../../../core/text.js';
import type { TreeNode } from '../../../core/confluence/pages.js';

export interface ChildrenOptions {
  depth?: string;
  json?: boolean;
  site?: string;
}

function strip(nodes: TreeNode[]): unknown[] {
  return nodes.map((n) => ({ id: n.id, title: n.title, status: n.status, children: strip(n.children) }));
}

/** The tree drawn with box characters, one page a line: title, then its id. */
export function drawTree(nodes: TreeNode[], idStyle: (s: string) => string = (s) => s, prefix = ''): string {
  return nodes
    .map((node, i) => {
      const last = i === nodes.length - 1;
      const line = `${prefix}${last ? '└── ' : '├── '}${oneLine(node.title)}  ${idStyle(node.id)}\n`;
      return line + drawTree(node.children, idStyle, `${prefix}${last ? '    ' : '│   '}`);
    })
    .join('');
}

export async function run(ctx: CommandContext, options: ChildrenOptions, args: string[]): Promise<number> {
  const { io } = ctx;
  const depth = options.depth === undefined ? 5 : Number(options.depth);
  if (!Number.isInteger(depth) || depth < 1 || depth > 50) throw usage(`Invalid --depth "${options.depth}".`, 'Pass --depth with a whole number from 1 (children only) to 50.');
  const core = await ctx.core();
  const target = await core.pages.resolve(args[0]!, options.site);
  const [root, tree] = await Promise.all([core.pages.get(target, { body: false }), core.pages.tree(target, depth)]);
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ id: root.id, title: root.title, url: root.url, children: strip(tree) })}\n`);
    return 0;
  }
  const c = colors(io, io.stdout);
  io.stdout.write(`${c.bold(oneLine(root.title))}  ${c.dim(root.id)}\n${drawTree(tree, (s) => c.dim(s))}`);
  if (tree.length === 0) ctx.say('This page has no child pages.');
  return 0;
}
