import type { QuotaPolicy } from '../core/confluence/http.js';
import { inWords, localTime } from '../core/confluence/quota.js';
import { colors, type IO } from './io.js';

/**
 * `--wait`: requests held by Atlassian's quota pause wait for the reset. On a terminal one line on
 * stderr counts down; elsewhere one line per pause says until when.
 */
export function waitingPolicy(io: IO, now: () => number): QuotaPolicy {
  const tty = !!io.stderr.isTTY;
  const c = colors(io, io.stderr);
  let announced: number | undefined;
  let drawn = false;
  return {
    wait: true,
    onWait: ({ until, reason, quota }) => {
      const what = quota ? `Atlassian's hourly quota for this app is used up${reason ? ` (${reason})` : ''}` : `Atlassian asked this app to pause${reason ? ` (${reason})` : ''}`;
      const line = `${what}: waiting until ${localTime(until, now())} (${inWords(until - now())})… Ctrl-C stops.`;
      if (tty) {
        io.stderr.write(`\r\x1b[2K${c.yellow('⏸')} ${line}`);
        drawn = true;
      } else if (announced !== until) {
        io.stderr.write(`${line}\n`);
        announced = until;
      }
    },
    onResume: () => {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
