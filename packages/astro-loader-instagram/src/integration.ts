import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { messageOf } from 'instagram-graph';
import { takeAlerts } from './alerts/conditions.js';
import { hiddenUrl, sendAlerts } from './alerts/send.js';
import { LOADER_NAME, PACKAGE_NAME, PROFILE_LOADER_NAME, TAGGED_LOADER_NAME } from './constants.js';
import { requestsTokenStore } from './dev-guard.js';
import { siteEnv } from './env.js';
import { publishVideos, serveVideo } from './media/video-files.js';
import { type InstagramIntegrationOptions, integrationOptionsSchema } from './options-schema.js';
import { takeSiteStates } from './site-state/registry.js';
import { writeSiteState } from './site-state/write.js';
import { takeSyncReports } from './sync-report/registry.js';
import { validateOptions } from './validate-options.js';

export type { InstagramIntegrationOptions } from './options-schema.js';

const DAY_MS = 86_400_000;

/**
 * What `envField.string({ context: 'server', access: 'secret', optional: true })` returns. Written
 * out because importing `astro/config` from this module (the package's main entry, which content
 * configs import) drags Astro's Vite setup into the site's server bundle and breaks the build.
 */
const TOKEN_ENV_FIELD = { type: 'string', context: 'server', access: 'secret', optional: true } as const;

/**
 * Astro integration for astro-loader-instagram: declares `INSTAGRAM_TOKEN` as an `astro:env` server
 * secret, adds a dev endpoint that re-runs only the Instagram loaders, lets dev serve images cached
 * outside the project root, and prints one report line per collection after a build.
 */
export default function instagram(options: InstagramIntegrationOptions = {}): AstroIntegration {
  // A mistake fails here, when astro.config is evaluated.
  const { refreshEndpoint, stateFile, alerts } = validateOptions(integrationOptionsSchema, options, {
    factory: 'instagram()',
    file: 'astro.config.mjs',
  });
  const endpoint = refreshEndpoint === false ? undefined : refreshEndpoint;
  let cacheDir = '';
  let root = '';
  let env: NodeJS.ProcessEnv = {};
  let site: string | undefined;
  return {
    name: PACKAGE_NAME,
    hooks: {
      'astro:config:setup': ({ config, command, updateConfig }) => {
        root = fileURLToPath(config.root);
        cacheDir = fileURLToPath(config.cacheDir);
        env = siteEnv(config);
        site = config.site;
        // Dev serves our images from cacheDir through /@fs; outside the root, Vite must be told.
        const outsideRoot = path.relative(root, cacheDir).startsWith('..');
        const deny = devServerDeny(cacheDir, config.vite?.server?.fs?.deny);
        updateConfig({
          env: { schema: { INSTAGRAM_TOKEN: TOKEN_ENV_FIELD } },
          ...(command === 'dev' ? { vite: { server: { fs: { deny, ...(outsideRoot ? { allow: [root, cacheDir] } : {}) } } } } : {}),
        });
      },
      'astro:server:setup': ({ server, refreshContent, logger }) => {
        // A tokenStore outside our cache folder is not in fs.deny: refuse it by the path the loaders use.
        server.middlewares.use((req, res, next) => {
          if (!requestsTokenStore(req.url, root)) return next();
          res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        });
        // Videos downloaded with `downloadVideos` live in the cache; dev serves them from there.
        server.middlewares.use((req, res, next) => serveVideo(cacheDir, req, res, next));
        if (!endpoint || !refreshContent) return;
        server.middlewares.use(endpoint, (req, res) => {
          if (req.method !== 'POST') {
            res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('POST to re-sync Instagram\n');
            return;
          }
          refreshContent({ loaders: [LOADER_NAME, PROFILE_LOADER_NAME, TAGGED_LOADER_NAME] })
            .then(() => {
              res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ refreshed: true }));
              printReports(logger);
              takeAlerts(); // dev: the log above is where the owner looks
            })
            .catch((error: unknown) => {
              // A failed sync is an AstroError: its hint is our fix.
              const hint = (error as { hint?: unknown } | undefined)?.hint;
              logger.error(`Instagram refresh failed: ${messageOf(error)}${typeof hint === 'string' ? ` ${hint}` : ''}`);
              res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ refreshed: false }));
            });
        });
      },
      'astro:server:start': ({ address, logger }) => {
        if (endpoint) logger.info(`POST http://localhost:${address.port}${endpoint} re-syncs the Instagram collections without a restart.`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const videos = await publishVideos(cacheDir, fileURLToPath(dir));
        if (videos) logger.info(`Published ${videos} Instagram video${videos === 1 ? '' : 's'} with the site.`);
        // What `check` compares with Instagram later (also published when a build kept the last good feed).
        const states = takeSiteStates();
        if (stateFile && (await writeSiteState(fileURLToPath(dir), stateFile, states))) {
          logger.info(`Published the Instagram state file at ${stateFile} (for \`npx astro-loader-instagram check\`).`);
        }
        printReports(logger);
        await alertOwner(logger);
      },
    },
  };

  /**
   * Sends what the build found (token expiring, refresh refused, last good feed kept, token dead)
   * to the webhook. Builds only: in dev the owner is at the terminal and reads the log, so dev
   * discards them.
   */
  async function alertOwner(logger: { info(message: string): void; warn(message: string): void }): Promise<void> {
    const conditions = takeAlerts();
    const webhook = alerts.webhook === false ? undefined : alerts.webhook || env.INSTAGRAM_ALERT_WEBHOOK?.trim();
    if (!webhook || conditions.length === 0) return;
    if (!/^https?:\/\//i.test(webhook)) {
      logger.warn(
        `INSTAGRAM_ALERT_WEBHOOK is not an http(s) URL (${hiddenUrl(webhook)}); no alert sent. Set it to your incoming-webhook URL.`,
      );
      return;
    }
    try {
      await sendAlerts(conditions, {
        webhook,
        cacheDir,
        now: buildClock(env),
        timeoutMs: alerts.timeoutMs,
        secrets: [env.INSTAGRAM_TOKEN, env.INSTAGRAM_APP_SECRET, webhook],
        site,
        logger,
      });
    } catch (error) {
      logger.warn(`Instagram alerts not sent: ${messageOf(error)}. The build is fine.`);
    }
  }
}

/** The build's clock: ASTRO_LOADER_INSTAGRAM_NOW pins it (tests), as for the loaders. */
function buildClock(env: NodeJS.ProcessEnv): Date {
  const pinned = new Date(env.ASTRO_LOADER_INSTAGRAM_NOW?.trim() || Date.now());
  return Number.isNaN(pinned.getTime()) ? new Date() : pinned;
}

/**
 * Vite's own `server.fs.deny` (Vite 7 and 8): a list we set replaces it rather than adding to it,
 * so without a deny list from the user we repeat it.
 */
const VITE_DEFAULT_DENY = ['.env', '.env.*', '*.{crt,pem,key,p12,pfx,cer,der}', '.npmrc', '.yarnrc.yml', '**/.git/**'];
/** What dev may serve from our cache: the images pages show (videos go through `serveVideo`). */
const SERVABLE = 'jpg|jpeg|png|webp|avif|gif';

/**
 * The dev server serves any file under the project through `/@fs/` and plain paths, the token store
 * (`<cacheDir>/astro-loader-instagram/token.json`, its `.bak` and temp files) and our sidecar
 * `.json` files included. Deny everything of ours there that is not an image.
 */
export function devServerDeny(cacheDir: string, userDeny: string[] | undefined): string[] {
  const ours = `${globEscape(cacheDir.replaceAll('\\', '/').replace(/\/+$/, ''))}/${PACKAGE_NAME}`;
  return [...(userDeny ? [] : VITE_DEFAULT_DENY), `${ours}/**/!(*.@(${SERVABLE}))`];
}

/** Glob characters in a real folder name must match themselves. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]{}()!@+|]/g, '\\$&');
}

function printReports(logger: { info(message: string): void; warn(message: string): void }): void {
  for (const report of takeSyncReports()) {
    const expiry = report.tokenExpiresAt
      ? `; token expires ${report.tokenExpiresAt.toISOString().slice(0, 10)} (${Math.floor((report.tokenExpiresAt.getTime() - Date.now()) / DAY_MS)} days)`
      : '';
    logger.info(`${report.collection}: ${report.summary}${expiry}`);
  }
}
