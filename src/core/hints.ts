import type { ActiveProfile } from './profiles.js';

/**
 * Names the profile in every command a hint or message suggests (`confluence-adf …` in backticks),
 * so that following it acts on the same login: `spaces list --profile prod` must not hint at an
 * `auth login` that signs in `default`. Text for the implicit default profile is left as it is.
 */
export function withProfile(text: string, profile: Pick<ActiveProfile, 'name' | 'source'> | undefined): string {
  if (!profile || profile.source === 'implicit') return text;
  return text.replace(/`confluence-adf ([^`]*)`/g, (whole, command: string) =>
    /(^|\s)--profile(\s|=)/.test(command) ? whole : `\`confluence-adf ${command} --profile ${profile.name}\``,
  );
}
