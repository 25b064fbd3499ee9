import path from 'node:path';
import { repoRoot, spawnAstro } from './astro.js';

const astroBin = path.join(repoRoot, 'node_modules/astro/bin/astro.mjs');

export interface DevServer {
  /** `http://localhost:<port>` */
  origin: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `astro dev` for a site folder and resolves once it listens (the port comes from its own
 * "Local http://localhost:N/" line, so parallel test files never fight over one).
 */
export async function startAstroDev(site: string, env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<DevServer> {
  const { child, done } = spawnAstro(astroBin, ['dev', '--root', site, '--port', String(await freePortHint()), '--host', '127.0.0.1'], env);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await done;
  };
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`astro dev did not start within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
    const check = () => {
      const port = /Local\s+https?:\/\/[^/\s]+:(\d+)\//.exec(output)?.[1];
      if (port) finish(undefined, `http://127.0.0.1:${port}`);
    };
    const finish = (error?: Error, value?: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      if (error) reject(error);
      else resolve(value!);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void done.then(() => finish(new Error(`astro dev exited before listening. Output:\n${output}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { origin, output: () => output, stop };
}

/** A port that was free a moment ago; Astro moves on to the next one if it is taken meanwhile. */
async function freePortHint(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 4321));
    });
  });
}

/** Polls `url` until it answers 200 (the dev server syncs content in the background at start). */
export async function fetchWhenReady(url: string, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} never answered 200 within ${timeoutMs} ms; last: ${last}`);
}
