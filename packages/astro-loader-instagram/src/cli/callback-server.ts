import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstagramOAuthError, parseAuthorizationRedirect } from 'instagram-graph';

const LOCAL_HOSTS: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  '127.0.0.1': ['127.0.0.1'],
  '[::1]': ['::1'],
};

/** http://localhost:PORT/…, http://127.0.0.1:PORT/… and http://[::1]:PORT/… are answered by a local server. */
export function isLocalRedirect(uri: URL): boolean {
  return uri.protocol === 'http:' && uri.hostname in LOCAL_HOSTS;
}

export interface CallbackServer {
  /** The redirect URI as a URL string, with the real port when port 0 was asked for (tests). */
  redirectUri: string;
  /** Resolves with the code of the first answer on the redirect path; rejects on denial, wrong state or timeout. */
  code: Promise<string>;
  close(): void;
}

/**
 * Listens where the redirect URI points and waits for the browser to come back from Instagram.
 * The first answer on the redirect path settles it, right or wrong; other paths get 404.
 */
export async function startCallbackServer(redirect: URL, state: string, timeoutMs: number): Promise<CallbackServer> {
  const hosts = LOCAL_HOSTS[redirect.hostname] ?? ['127.0.0.1'];
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => {}); // handled by the caller; avoid an unhandled rejection if it never awaits
  let done = false;
  const servers: Server[] = [];

  const handler: Parameters<typeof createServer>[1] = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (url.pathname !== (redirect.pathname || '/') || done) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    done = true;
    try {
      const { code: value } = parseAuthorizationRedirect(url.toString(), state);
      page(res, 200, 'Logged in', 'Instagram sent the login code. You can close this tab and go back to the terminal.');
      settle.resolve(value);
    } catch (error) {
      const message = error instanceof InstagramOAuthError ? error.message : String(error);
      page(res, 400, 'Login failed', message);
      settle.reject(error instanceof Error ? error : new Error(message));
    }
  };

  let port = Number(redirect.port || 80);
  for (const [index, host] of hosts.entries()) {
    const server = createServer(handler);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      if (index === 0) {
        for (const open of servers) open.close();
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new Error(
          `Could not listen on ${redirect.host} for the login redirect (${reason}). Free the port, or use another redirect URI listed in the app.`,
        );
      }
      continue; // e.g. no IPv6 on this machine: the IPv4 listener is enough
    }
    servers.push(server);
    port = (server.address() as AddressInfo).port;
  }

  const actual = new URL(redirect);
  if (redirect.port === '0') actual.port = String(port);
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    settle.reject(new Error(`No answer from the browser within ${Math.round(timeoutMs / 1000)} s. Start the login again.`));
  }, timeoutMs);

  const close = () => {
    clearTimeout(timer);
    for (const server of servers) {
      server.close();
      server.closeAllConnections();
    }
  };
  void code.then(close, close);
  return { redirectUri: actual.toString(), code, close };
}

function page(res: import('node:http').ServerResponse, status: number, title: string, text: string): void {
  const escapeHtml = (value: string) => value.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`,
  );
}
