import { text } from 'node:stream/consumers';
import { AppError } from '../core/errors.js';
import type { Core } from '../core/core.js';
import { canPrompt, type IO } from './io.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Where the secret came from, for the user's benefit (never the secret itself). */
  secretSource: 'stdin' | 'environment' | 'stored' | 'prompt';
}

/**
 * Client ID: --client-id, $CONFLUENCE_CLIENT_ID, the stored one, or a prompt. Secret: --client-secret-stdin,
 * $CONFLUENCE_CLIENT_SECRET, the stored one (same client ID), or a masked prompt. Never a flag value `ps` shows.
 */
export async function resolveClientCredentials(
  core: Core,
  io: IO,
  options: { clientId?: string; clientSecretStdin?: boolean; json?: boolean },
): Promise<ClientCredentials> {
  const stored = await core.storedClient();
  const prompting = canPrompt(io, options.json);
  let clientId = options.clientId?.trim() || io.env.CONFLUENCE_CLIENT_ID?.trim() || stored?.clientId;
  if (!clientId && prompting) {
    const { input } = await import('@inquirer/prompts');
    clientId = (await input({ message: 'Client ID of your Atlassian OAuth app:', required: true }, { input: io.stdin, output: io.stderr })).trim();
  }
  if (!clientId) {
    throw new AppError('MISSING_CLIENT_CREDENTIALS', 'No OAuth client ID was given.', {
      hint: 'Pass --client-id or set CONFLUENCE_CLIENT_ID (Developer Console → your app → Settings).',
    });
  }
  if (options.clientSecretStdin) {
    const secret = (await text(io.stdin)).trim();
    if (!secret) throw new AppError('USAGE', '--client-secret-stdin was given but standard input was empty.', { hint: 'Pipe the secret in: printf %s "$SECRET" | confluence-adf auth login --client-secret-stdin' });
    return { clientId, clientSecret: secret, secretSource: 'stdin' };
  }
  const fromEnv = io.env.CONFLUENCE_CLIENT_SECRET?.trim();
  if (fromEnv) return { clientId, clientSecret: fromEnv, secretSource: 'environment' };
  if (stored && stored.clientId === clientId && stored.clientSecret) return { clientId, clientSecret: stored.clientSecret, secretSource: 'stored' };
  if (prompting) {
    const { password } = await import('@inquirer/prompts');
    const secret = (await password({ message: 'Client secret:', mask: '*' }, { input: io.stdin, output: io.stderr })).trim();
    if (secret) return { clientId, clientSecret: secret, secretSource: 'prompt' };
  }
  throw new AppError('MISSING_CLIENT_CREDENTIALS', 'No OAuth client secret was given.', {
    hint: 'Set CONFLUENCE_CLIENT_SECRET, or pipe it in with --client-secret-stdin (Developer Console → your app → Settings).',
  });
}
