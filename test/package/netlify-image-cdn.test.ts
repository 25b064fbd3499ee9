import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astro, listFiles, repoRoot } from '../helpers/astro.js';
import { createStandaloneSite, packPackages } from '../helpers/pack.js';

/**
 * Accounts too big to resize at build time hand the resizing to the platform's image CDN. Our local
 * `ImageMetadata` works there unchanged: with @astrojs/netlify (Image CDN on by default) the pages point
 * at /.netlify/images and the build encodes nothing beyond our own normalisation.
 */
const astroVersion = (JSON.parse(await readFile(path.join(repoRoot, 'node_modules/astro/package.json'), 'utf8')) as { version: string })
  .version;

const files = {
  'astro.config.mjs': [
    "import { defineConfig } from 'astro/config';",
    "import netlify from '@astrojs/netlify';",
    '',
    'export default defineConfig({ adapter: netlify() });',
    '',
  ].join('\n'),
  'src/content.config.ts': [
    "import { defineCollection } from 'astro:content';",
    "import { instagramLoader } from 'astro-loader-instagram';",
    '',
    'export const collections = { instagram: defineCollection({ loader: instagramLoader() }) };',
    '',
  ].join('\n'),
  'src/pages/index.astro': [
    '---',
    "import { Picture } from 'astro:assets';",
    "import { getCollection } from 'astro:content';",
    "const posts = await getCollection('instagram');",
    '---',
    '{posts.map(({ data }) => <Picture src={data.image} alt={data.alt} widths={[400, 800]} sizes="33vw" formats={[\'webp\']} />)}',
    '',
  ].join('\n'),
};

let fake: FakeInstagram;
let root: string;
let astroBin: string;

beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 10, seed: 51 });
  const base = await mkdtemp(path.join(tmpdir(), 'ig-netlify-'));
  root = path.join(base, 'site');
  ({ astroBin } = await createStandaloneSite(root, {
    dependencies: { astro: astroVersion, '@astrojs/netlify': '^8.2.6' },
    tarballs: await packPackages(path.join(base, 'tarballs')),
    files,
  }));
}, 300_000);
afterAll(() => fake?.close());

describe('with the Netlify adapter (Image CDN)', () => {
  it('serves our local images through /.netlify/images and encodes nothing at build time', async () => {
    const result = await astro(['build'], { root, bin: astroBin, env: { INSTAGRAM_TOKEN: fake.token, INSTAGRAM_API_URL: fake.url } }).done;
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/generating optimized images/i);

    const dist = path.join(root, 'dist');
    const html = await readFile(path.join(dist, 'index.html'), 'utf8');
    const srcs = [...html.matchAll(/<img[^>]+src="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&#38;', '&').replaceAll('&amp;', '&'));
    expect(srcs).toHaveLength(10);
    const files = new Set(await listFiles(dist));
    for (const src of srcs) {
      expect(src).toMatch(/^\/\.netlify\/images\?/);
      // The Image CDN fetches the original from the site itself.
      const original = new URL(src, 'https://site.example').searchParams.get('url')!.replace(/^\//, '');
      expect(original).toMatch(/^_astro\//);
      expect(files.has(original), original).toBe(true);
    }
    expect(html).toMatch(/srcset="[^"]*\/\.netlify\/images\?[^"]*w=400/);
    // Only our normalised originals were emitted, one per media id (post or album image), and no
    // resized variants (Astro names those `<name>.<hash>_<variant>.<ext>`).
    const images = [...files].filter((file) => /^_astro\/.*\.(jpe?g|png|webp|avif)$/.test(file));
    const mediaIds = fake.media.flatMap((media) => (media.children?.length ? media.children.map((child) => child.id) : [media.id]));
    expect(images.map((file) => file.split('/')[1]!.split('.')[0]).sort()).toEqual(mediaIds.sort());
    for (const file of images) expect(file).toMatch(/^_astro\/\d+\.[\w-]{8}\.(jpg|png|webp)$/);
    expect(html).not.toMatch(/cdninstagram|127\.0\.0\.1/);
  });
});
