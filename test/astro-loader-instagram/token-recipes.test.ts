import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { COMMANDS } from '../../packages/astro-loader-instagram/src/cli/main.js';
import { repoRoot } from '../helpers/astro.js';
import { runCli } from '../helpers/cli.js';

/** The recipes' code blocks are real files: ```lang title="path/of/the/file"``` . */
async function filesOf(doc: string): Promise<Map<string, { lang: string; text: string }>> {
  const markdown = await readFile(path.join(repoRoot, 'docs', doc), 'utf8');
  const files = new Map<string, { lang: string; text: string }>();
  for (const [, lang, title, text] of markdown.matchAll(/^```(\w+) title="([^"]+)"\n([\s\S]*?)^```$/gm))
    files.set(title!, { lang: lang!, text: text! });
  return files;
}

function file(files: Map<string, { lang: string; text: string }>, name: string): string {
  const found = files.get(name);
  expect(found, `a code block titled ${name}`).toBeDefined();
  return found!.text;
}

const CRON = /^(\S+\s+){4}\S+$/;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: { schedule?: Array<{ cron: string }> };
  jobs: Record<string, { steps?: Step[] }>;
}

/** JS blocks must at least parse. */
async function checkSyntax(name: string, source: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ig-recipe-'));
  const target = path.join(dir, path.basename(name).replace(/\.js$/, '.mjs'));
  await writeFile(target, source);
  await promisify(execFile)(process.execPath, ['--check', target]);
}

describe('docs/deploy-netlify.md', () => {
  it('has a netlify.toml that keeps node_modules/.astro and schedules the rebuild function', async () => {
    const files = await filesOf('deploy-netlify.md');
    const toml = parseToml(file(files, 'netlify.toml')) as {
      build: { command: string; publish: string };
      plugins: Array<{ package: string; inputs: { paths: string[] } }>;
      functions: Record<string, { schedule: string }>;
    };
    expect(toml.build).toEqual({ command: 'npm run build', publish: 'dist' });
    expect(toml.plugins.find((plugin) => plugin.package === 'netlify-plugin-cache')?.inputs.paths).toContain('node_modules/.astro');
    expect(toml.functions.rebuild?.schedule).toMatch(CRON);

    const fn = file(files, 'netlify/functions/rebuild.mjs');
    expect(fn).toMatch(/fetch\(process\.env\.BUILD_HOOK_URL, \{ method: 'POST'/);
    await checkSyntax('rebuild.mjs', fn);
  });

  it('has a GitHub Action alternative with a cron schedule calling the build hook', async () => {
    const workflow = parseYaml(file(await filesOf('deploy-netlify.md'), '.github/workflows/netlify-rebuild.yml')) as Workflow;
    expect(workflow.on.schedule?.[0]?.cron).toMatch(CRON);
    expect(workflow.jobs.rebuild?.steps?.[0]?.run).toMatch(/curl .*-X POST .*"\$HOOK"/);
  });
});

describe('docs/deploy-vercel.md', () => {
  it('has a vercel.json cron job whose path is the function in the recipe', async () => {
    const files = await filesOf('deploy-vercel.md');
    const config = JSON.parse(file(files, 'vercel.json')) as { crons: Array<{ path: string; schedule: string }> };
    const [cron] = config.crons;
    expect(cron?.schedule).toMatch(CRON);
    expect(cron?.path).toBe('/api/rebuild');
    const fn = file(files, `${cron!.path.slice(1)}.js`);
    expect(fn).toContain('Bearer ${process.env.CRON_SECRET}');
    expect(fn).toMatch(/fetch\(process\.env\.DEPLOY_HOOK_URL, \{ method: 'POST' \}\)/);
    await checkSyntax('rebuild.js', fn);
  });

  it('explains where the token is kept between builds', async () => {
    const markdown = await readFile(path.join(repoRoot, 'docs/deploy-vercel.md'), 'utf8');
    expect(markdown).toContain('node_modules/.astro/astro-loader-instagram/token.json');
    expect(markdown).toContain('VERCEL_FORCE_NO_BUILD_CACHE');
  });
});

describe('docs/deploy-github-actions.md', () => {
  it('builds on a schedule, restores node_modules/.astro after npm ci, refreshes before building', async () => {
    const workflow = parseYaml(file(await filesOf('deploy-github-actions.md'), '.github/workflows/site.yml')) as Workflow;
    expect(workflow.on.schedule?.[0]?.cron).toMatch(CRON);
    const steps = workflow.jobs.build?.steps ?? [];
    const index = (test: (step: Step) => boolean) => steps.findIndex(test);

    const install = index((step) => step.run === 'npm ci');
    const cache = index((step) => step.uses?.startsWith('actions/cache@') ?? false);
    const refresh = index((step) => step.run?.includes('npx astro-loader-instagram refresh') ?? false);
    const build = index((step) => step.run === 'npm run build');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(cache).toBeGreaterThan(install); // npm ci empties node_modules/: restore after it
    expect(refresh).toBeGreaterThan(cache); // the refresh lands in the restored store
    expect(build).toBeGreaterThan(refresh);

    expect(steps[cache]!.with?.path).toContain('node_modules/.astro');
    expect(steps[cache]!.with?.key).toContain('${{ github.run_id }}');
    expect(steps[refresh]!['continue-on-error']).toBe(true);
    expect(steps[refresh]!.run).toContain('refresh --raw');
    expect(steps[refresh]!.run).toMatch(/\| gh secret set INSTAGRAM_TOKEN/);
    expect(steps[refresh]!.env?.GH_TOKEN).toBe('${{ secrets.SECRETS_TOKEN }}');
    expect(steps[build]!.env?.INSTAGRAM_TOKEN).toBe('${{ secrets.INSTAGRAM_TOKEN }}');
  });
});

describe('commands named in the README and the recipes', () => {
  it('all exist in our CLI, and refresh has --raw', async () => {
    const texts = await Promise.all(
      ['README.md', 'docs/deploy-netlify.md', 'docs/deploy-vercel.md', 'docs/deploy-github-actions.md'].map((name) =>
        readFile(path.join(repoRoot, name), 'utf8'),
      ),
    );
    const named = new Set(texts.flatMap((text) => [...text.matchAll(/npx astro-loader-instagram ([\w-]+)/g)].map((match) => match[1]!)));
    expect([...named].sort()).toEqual(expect.arrayContaining(['facebook-token', 'login', 'refresh', 'status']));
    for (const command of named) expect(Object.keys(COMMANDS), command).toContain(command);

    const help = await runCli(['refresh', '--help'], { cwd: repoRoot });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--raw');
  });
});
