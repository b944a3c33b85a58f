import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.js';

export const CALLBACK_PATH = '/oauth/callback';

export interface CallbackArrival {
  /** The query the browser brought back: code and state, or error and state. */
  query: URLSearchParams;
  /** Answers the waiting browser tab once the outcome is known. */
  finish(outcome: { ok: true; detail: string } | { ok: false; error: string }): void;
}

export interface CallbackListener {
  port: number;
  /** The addresses held: 127.0.0.1, and [::1] where the machine has IPv6. Never a routable one. */
  addresses: string[];
  arrival: Promise<CallbackArrival>;
  close(): Promise<void>;
}

export function redirectUriFor(port: number): string {
  return `http://localhost:${port}${CALLBACK_PATH}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The address bar holds a code: keep it out of any Referer, and let the page run only its own script.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

function page(title: string, body: string, closeTab: boolean): string {
  const script = closeTab ? '<script>setTimeout(function(){window.close()},1500)</script>' : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#172b4d}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>${script}</body></html>`;
}

/**
 * Listens on 127.0.0.1:port and [::1]:port for exactly one GET to /oauth/callback carrying the expected
 * state. Anything else is answered and ignored, so a stray or forged request cannot end or hijack the login.
 *
 * Both loopback addresses, because the redirect URI says `localhost` and a browser may try either one
 * first: a port left free on [::1] is one another local user could bind to receive the code.
 */
export async function listenForCallback(options: { port: number; state: string }): Promise<CallbackListener> {
  let settled = false;
  let answered: Promise<void> = Promise.resolve();
  let resolveArrival!: (arrival: CallbackArrival) => void;
  const arrival = new Promise<CallbackArrival>((resolve) => (resolveArrival = resolve));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, HEADERS).end(page('Not found', 'This address is only used to finish a confluence-adf sign-in.', false));
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { ...HEADERS, allow: 'GET' }).end(page('Method not allowed', 'Only GET is accepted here.', false));
      return;
    }
    if (settled) {
      res.writeHead(410, HEADERS).end(page('Already finished', 'This sign-in has already been completed. You can close this tab.', false));
      return;
    }
    // Exactly one state, and it must be ours; a repeated parameter is ambiguous and refused.
    const states = url.searchParams.getAll('state');
    if (states.length !== 1 || states[0] !== options.state || url.searchParams.getAll('code').length > 1) {
      res
        .writeHead(400, HEADERS)
        .end(page('Sign-in link does not match', 'This answer does not belong to the sign-in that is waiting. Start again with confluence-adf auth login.', false));
      return;
    }
    settled = true;
    answered = new Promise<void>((resolve) => {
      res.on('close', () => resolve());
    });
    resolveArrival({
      query: url.searchParams,
      finish(outcome) {
        if (res.writableEnded) return;
        if (outcome.ok) {
          res.writeHead(200, HEADERS).end(page('Authentication Successful!', `${outcome.detail} You can close this tab and return to your terminal.`, true));
        } else {
          res.writeHead(400, HEADERS).end(page('Authentication failed', `${outcome.error} Return to your terminal for the next step.`, false));
        }
      },
    });
  });
  // A browser sends its request at once; a connection that dawdles is dropped, not kept for minutes.
  server.keepAliveTimeout = 1000;
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  const handler = server.listeners('request')[0] as http.RequestListener;
  const v6 = http.createServer(handler);
  for (const s of [v6]) {
    s.keepAliveTimeout = server.keepAliveTimeout;
    s.headersTimeout = server.headersTimeout;
    s.requestTimeout = server.requestTimeout;
  }
  await listenOn(server, options.port, '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const addresses = ['127.0.0.1'];
  try {
    await listenOn(v6, port, '::1');
    addresses.push('::1');
  } catch (error) {
    // No IPv6 on this machine: then no one can listen on [::1] either. Anything else (taken) is fatal.
    const code = ((error as AppError).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }
  const servers = addresses.length === 2 ? [server, v6] : [server];
  return {
    port,
    addresses,
    arrival,
    close: async () => {
      // Let the tab receive its page before the connection goes.
      await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function listenOn(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        const v6 = host.includes(':') ? ` It is taken on [${host}] (IPv6), where a browser may send the code first.` : '';
        reject(
          new AppError('CALLBACK_PORT_IN_USE', `Port ${port} on localhost is already in use, so the sign-in callback cannot listen there.${v6}`, {
            hint: `Stop what uses port ${port}, or pass --callback-port N and set the app's callback URL to http://localhost:N${CALLBACK_PATH}.`,
            cause: error,
          }),
        );
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}
