import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot } from '../helpers/astro.js';

/**
 * Astro loads the integration with the site's config, long before (and apart from) the content
 * collections; it must not pull in sharp and the media pipeline to learn a loader name. A fresh node
 * process imports the built package with a module hook that records every URL it resolves.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ig-imports-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function modulesLoadedBy(specifier: string): Promise<string[]> {
  const log = path.join(dir, `${specifier.replace(/\W+/g, '_')}.log`);
  const hooks = path.join(dir, 'hooks.mjs');
  const register = path.join(dir, 'register.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
  );
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  await writeFile(log, '');
  await promisify(execFile)(
    process.execPath,
    ['--import', pathToFileURL(register).href, '--input-type=module', '-e', `await import(${JSON.stringify(specifier)});`],
    { cwd: repoRoot, env: cleanEnv() },
  );
  return (await readFile(log, 'utf8')).split('\n').filter(Boolean);
}

describe('importing the integration', () => {
  it('loads neither sharp nor the loaders, only the few modules it runs', async () => {
    const loaded = await modulesLoadedBy('astro-loader-instagram/integration');
    const ours = loaded.filter((url) => url.includes('/astro-loader-instagram/dist/'));
    // The hook saw the import: an empty list would prove nothing.
    expect(ours.some((url) => url.endsWith('/dist/integration.js'))).toBe(true);
    expect(loaded.filter((url) => /\/sharp\//.test(url))).toEqual([]);
    // Nor the loaders and their pipeline: image processing, downloads, the token lifecycle.
    expect(ours.filter((url) => /loader\.js$|\/sync\.js$|\/media\/(?!video-files)|\/token\//.test(url))).toEqual([]);
  });

  it('the main entry does load the media pipeline (the check above can see sharp)', async () => {
    const loaded = await modulesLoadedBy('astro-loader-instagram');
    expect(loaded.some((url) => /\/sharp\//.test(url))).toBe(true);
  });
});
