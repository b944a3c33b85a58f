import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';

/** A command in a real terminal (tmux), typed at with send-keys and read with capture-pane. */
export class TerminalSession {
  readonly name = `cadf-${crypto.randomBytes(4).toString('hex')}`;

  constructor(command: string, env: Record<string, string>, width = 220) {
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const script = `env -i PATH=${shellQuote(process.env.PATH ?? '')} HOME=${shellQuote(process.env.HOME ?? '/tmp')} TERM=xterm-256color ${assignments} ${command}; echo "EXIT=$?"; sleep 60`;
    execFileSync('tmux', ['new-session', '-d', '-s', this.name, '-x', String(width), '-y', '50', script]);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-t', this.name], { encoding: 'utf8' });
  }

  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  async waitFor(pattern: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    const until = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(this.screen());
      if (match) return match;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
