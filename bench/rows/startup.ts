/** Start-up: what a person pays for a command that does little or nothing over the network. */
import { compare } from '../harness.js';

const bareNode = { baseline: () => ['-e', '0'], baselineLabel: 'bare `node -e 0`' };

compare({ name: '`--help`', cli: () => ['--help'], ...bareNode, target: 1.3 });
compare({ name: '`auth status --offline`, signed in', cli: () => ['auth', 'status', '--offline'], ...bareNode, target: 1.6 });
compare({
  name: '`auth status` (online check)',
  cli: () => ['auth', 'status'],
  baseline: (ctx) => [ctx.baseline('one-fetch.mjs'), `${ctx.apiUrl}/oauth/token/accessible-resources`, ctx.accessToken],
  baselineLabel: 'a one-`fetch` script',
  target: 1.1,
});
