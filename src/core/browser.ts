import { spawn } from 'node:child_process';
import type { Env } from './config.js';

/** The command that opens a URL: $BROWSER (URL appended as its last argument), else the system opener. */
export function browserCommand(env: Env, platform: NodeJS.Platform): { command: string; args: string[] } {
  if (env.BROWSER && env.BROWSER.trim() !== '') {
    const [command, ...args] = env.BROWSER.trim().split(/\s+/);
    return { command: command!, args };
  }
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  return { command: 'xdg-open', args: [] };
}

/**
 * Opens the URL in a browser; resolves false when no browser could be started, so the caller can
 * say so (the URL is printed either way). Never throws.
 */
export function openBrowser(url: string, env: Env, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const { command, args } = browserCommand(env, platform);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, [...args, url], { detached: true, stdio: 'ignore', env: browserEnv({ ...process.env, ...env }) });
    } catch {
      resolve(false);
      return;
    }
    // An opener that fails does so at once (xdg-open with no desktop exits 3); one that works may run on.
    const settle = setTimeout(() => {
      child.unref();
      resolve(true);
    }, 700);
    child.once('error', () => {
      clearTimeout(settle);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(settle);
      resolve(code === 0);
    });
  });
}

/**
 * The browser's environment: ours without anything of confluence-adf's (client secret, passphrase,
 * access token) and nothing else named like a secret. A browser and its helpers need none of them.
 */
export function browserEnv(env: Env): NodeJS.ProcessEnv {
  const scrubbed: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || /^CONFLUENCE_/i.test(name) || /SECRET|TOKEN|PASSPHRASE|PASSWORD/i.test(name)) continue;
    scrubbed[name] = value;
  }
  return scrubbed;
}
