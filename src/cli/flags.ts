import { usage } from './main.js';

/** --limit for paged lists: 1 to 250; by default 25, or 250 with --all (fewest requests). */
export function parseLimit(raw: string | undefined, all: boolean): number {
  if (raw === undefined) return all ? 250 : 25;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 250) throw usage(`Invalid --limit "${raw}".`, 'Pass --limit with a whole number from 1 to 250.');
  return n;
}
