import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTokenStore, requestsTokenStore } from '../../packages/astro-loader-instagram/src/dev-guard.js';
import { astroDev, buildFixture, type DevServer, fetchWhenReady, listFiles, repoRoot, tempSiteDirs } from '../helpers/astro.js';
import { codeBlockAfter } from '../helpers/pack.js';

/** GET with the path sent exactly as written (fetch would resolve `..` and `%2e` itself). */
function rawGet(origin: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every way of writing a path to one file that Vite might serve. */
function variants(site: string, file: string): string[] {
  const relative = path.relative(site, file).split(path.sep).join('/');
  const absolute = file.split(path.sep).join('/');
  const dir = path.posix.dirname(absolute);
  const name = path.posix.basename(absolute);
  const encodedName = name.replaceAll('.', '%2e');
  return [
    `/@fs${absolute}`,
    `/@fs${absolute}?import`,
    `/@fs${absolute}?raw`,
    `/@fs${absolute}?url`,
    `/@fs${absolute}?import&raw`,
    `/@fs${dir}/${encodedName}`,
    `/@fs${dir}%2F${name}`,
    `/@fs${dir}/./${name}`,
    `/@fs${dir}/images/../${name}`,
    `/@fs${dir}/images/%2e%2e/${name}`,
    `//@fs${absolute}`,
    `/${relative}`,
    `/${relative}?import`,
    `/${relative}?raw`,
    `/${path.posix.dirname(relative)}/${encodedName}`,
    `/node_modules/../${relative}`,
  ];
}

const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');

/**
 * Builds `fixture` once (the build writes the token store and image sidecars into the default
 * cacheDir, `<site>/node_modules/.astro`, inside the project and so reachable by plain paths too),
 * then runs `astro dev` on it and asks for every file of ours by every path.
 */
interface Setup {
  fixture: 'integration' | 'basic';
  /** Changes the copied site before `astro dev` starts. */
  configure?: (site: string) => Promise<void>;
  /** Where the token store goes, relative to the site (default: the cache). */
  tokenStore?: string;
}

function describeDevServer(title: string, { fixture, configure, tokenStore }: Setup) {
  describe(title, () => {
    let fake: FakeInstagram;
    let dirs: Awaited<ReturnType<typeof tempSiteDirs>>;
    let dev: DevServer;
    let ours: string;
    let store: string;
    const images = () => path.join(ours, 'instagram/images');

    beforeAll(async () => {
      fake = await startFakeInstagram({ posts: 3, seed: 51 });
      dirs = await tempSiteDirs(`dev-deny-${fixture}${tokenStore ? '-store' : ''}`);
      ours = path.join(dirs.site, 'node_modules/.astro/astro-loader-instagram');
      store = tokenStore ? path.join(dirs.site, tokenStore) : path.join(ours, 'token.json');
      const env = {
        INSTAGRAM_TOKEN: fake.token,
        INSTAGRAM_API_URL: fake.url,
        ASTRO_CACHE_DIR: '',
        ...(tokenStore ? { FIXTURE_TOKEN_STORE: store } : {}),
      };
      const built = await buildFixture(fixture, dirs, env);
      expect(built.code, built.output).toBe(0);
      // What else lives beside the store: its previous copy and a temp file of a write in progress.
      await copyFile(store, `${store}.bak`);
      await copyFile(store, `${store}.4242.deadbeef.tmp`);
      await writeFile(path.join(dirs.site, '.env'), 'SOME_SECRET=dev-deny-env-marker\n');
      await configure?.(dirs.site);
      dev = await astroDev(dirs.site, env);
      await fetchWhenReady(`${dev.origin}/`);
    });
    afterAll(async () => {
      await dev?.stop();
      await fake?.close();
    });

    it('answers no path to token.json, its .bak, temp files or sidecar .json with their content', async () => {
      const cached = (await listFiles(ours)).map((file) => path.join(ours, file));
      const files = [...new Set([...cached, store, `${store}.bak`, `${store}.4242.deadbeef.tmp`])].filter(
        (file) => !/\.(jpg|jpeg|png|webp|avif|gif)$/.test(file),
      );
      expect(files.some((file) => file.endsWith('.json') && file.includes('images'))).toBe(true);
      const leaks: string[] = [];
      for (const absolute of files) {
        // A stretch of the file no error page would contain (the token hash, an image's sidecar data), whitespace aside.
        const marker = JSON.stringify(JSON.parse(await readFile(absolute, 'utf8'))).slice(1, 40);
        for (const variant of variants(dirs.site, absolute)) {
          const { status, body } = await rawGet(dev.origin, variant);
          if (body.replace(/\s+/g, '').includes(marker) || body.includes('sha256:')) leaks.push(`${status} ${variant}`);
        }
      }
      expect(leaks).toEqual([]);
    });

    it('keeps Vite’s own deny list (a list we set replaces it, so it is repeated)', async () => {
      for (const variant of ['/.env', `/@fs${dirs.site.split(path.sep).join('/')}/.env`, '/.env?raw']) {
        expect((await rawGet(dev.origin, variant)).body, variant).not.toContain('dev-deny-env-marker');
      }
    });

    it('still serves the images', async () => {
      const image = (await listFiles(images())).find((file) => /\.(jpg|webp)$/.test(file))!;
      const absolute = path.join(images(), image).split(path.sep).join('/');
      const direct = await fetch(`${dev.origin}/@fs${absolute}`);
      expect(direct.status).toBe(200);
      expect(Buffer.from(await direct.arrayBuffer()).equals(await readFile(absolute))).toBe(true);
      const page = await (await fetch(`${dev.origin}/`)).text();
      const src = /<img[^>]+src="([^"]+)"/.exec(page)?.[1];
      expect(src).toBeDefined();
      expect((await fetch(new URL(src!.replaceAll('&amp;', '&'), dev.origin))).status).toBe(200);
    });
  });
}

describeDevServer('astro dev never hands out the token store (integration)', { fixture: 'integration' });

// `tokenStore` inside the project, where fs.deny does not reach: the loaders tell the integration.
describeDevServer('astro dev never hands out a tokenStore elsewhere in the project (integration)', {
  fixture: 'integration',
  tokenStore: 'secrets/ig-token.json',
});

// Without the integration: the README's astro.config.mjs, as a user would paste it.
describeDevServer('astro dev never hands out the token store (README deny list, no integration)', {
  fixture: 'basic',
  configure: (site) =>
    writeFile(path.join(site, 'astro.config.mjs'), codeBlockAfter(readme, 'Without the integration, add the deny list yourself')),
});

describe('requestsTokenStore', () => {
  it('knows a registered store by any spelling, and nothing else', () => {
    registerTokenStore('/site/secrets/ig.json');
    for (const url of [
      '/secrets/ig.json',
      '/secrets/ig.json.bak?raw',
      '/@fs/site/secrets/ig.json',
      '/@id/site/secrets/ig.json.1.a.tmp',
      '/secrets/%69g%2ejson',
      '/secrets/ig%252ejson',
      '/public/../secrets/ig.json',
      '//secrets//IG.json',
      '/secrets\\ig.json',
    ]) {
      expect(requestsTokenStore(url, '/site'), url).toBe(true);
    }
    for (const url of ['/secrets/ig.jsonx', '/secrets/other.json', '/', '/@fs/elsewhere/secrets/ig.json', undefined]) {
      expect(requestsTokenStore(url, '/site'), url).toBe(false);
    }
  });
});
