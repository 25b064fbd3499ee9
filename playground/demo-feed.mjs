// Demo mode: with no INSTAGRAM_TOKEN, the playground builds against a fake Instagram API started
// right here on 127.0.0.1, so a fresh clone shows a real site without any Meta account.
// With INSTAGRAM_TOKEN set (environment or playground/.env; optionally INSTAGRAM_API_URL) nothing here runs.
import { fileURLToPath } from 'node:url';
import { loadEnv } from 'vite';

const DEMO_POSTS = Number(process.env.DEMO_POSTS || 24);

/** INSTAGRAM_TOKEN as the loader will see it: the environment, else this site's .env files (Astro set NODE_ENV to the mode). */
function configuredToken() {
  const mode = process.env.NODE_ENV === 'development' ? 'development' : 'production';
  return process.env.INSTAGRAM_TOKEN || loadEnv(mode, fileURLToPath(new URL('.', import.meta.url)), '').INSTAGRAM_TOKEN;
}

/** Starts the fake feed once per process and points the loader at it. */
export async function startDemoFeedIfNoToken(logger = console) {
  if (configuredToken() && process.env.INSTAGRAM_DEMO !== '1') return undefined;
  globalThis.__instagramDemo ??= (async () => {
    const { startFakeInstagram } = await import('fake-instagram');
    const server = await startFakeInstagram({ posts: DEMO_POSTS });
    process.env.INSTAGRAM_TOKEN = server.token;
    process.env.INSTAGRAM_API_URL = server.url;
    process.env.INSTAGRAM_DEMO = '1';
    logger.info?.(
      `[demo] INSTAGRAM_TOKEN is not set: using the built-in DEMO feed (${DEMO_POSTS} fake posts from ${server.url}). ` +
        'Set INSTAGRAM_TOKEN to build your own account.',
    );
    return server;
  })();
  return globalThis.__instagramDemo;
}

/** Astro integration that closes the demo server when the build is done. */
export function demoFeed() {
  return {
    name: 'playground-demo-feed',
    hooks: {
      'astro:build:done': async () => {
        const server = await globalThis.__instagramDemo;
        await server?.close();
        globalThis.__instagramDemo = undefined;
      },
    },
  };
}
