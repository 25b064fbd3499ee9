import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import ts from 'typescript';
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

/** JS blocks must at least parse; TypeScript ones (.mts) are transpiled first (`node --check` skips .mts files). */
async function checkSyntax(name: string, source: string) {
  let js = source;
  if (name.endsWith('.mts')) {
    const output = ts.transpileModule(source, {
      fileName: name,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext },
    });
    expect(output.diagnostics?.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')) ?? []).toEqual([]);
    js = output.outputText;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'ig-recipe-'));
  const target = path.join(dir, path.basename(name).replace(/\.m?[jt]s$/, '.mjs'));
  await writeFile(target, js);
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

  it('checks every 15 minutes with a scheduled function that calls checkForChanges once, and keeps the daily rebuild', async () => {
    const files = await filesOf('deploy-netlify.md');
    const toml = parseToml(file(files, 'netlify.toml')) as { functions: Record<string, { schedule: string }> };
    expect(toml.functions.check?.schedule).toBe('*/15 * * * *');
    expect(toml.functions.rebuild?.schedule).toMatch(/^\d+ \d+ \* \* \*$/); // daily safety net
    const fn = file(files, 'netlify/functions/check.mts');
    expect(fn).toContain("import { checkForChanges } from 'astro-loader-instagram/check';");
    expect(fn.match(/checkForChanges\(/g)).toHaveLength(1);
    expect(fn).toMatch(
      /checkForChanges\(\{ site: context\.site\.url, token: process\.env\.INSTAGRAM_TOKEN, hook: process\.env\.BUILD_HOOK_URL \}\)/,
    );
    await checkSyntax('check.mts', fn);
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

  it('has a 15-minute cron job whose function checks first and calls the deploy hook only through checkForChanges', async () => {
    const files = await filesOf('deploy-vercel.md');
    const config = JSON.parse(file(files, 'vercel.json')) as { crons: Array<{ path: string; schedule: string }> };
    expect(config.crons).toContainEqual({ path: '/api/check', schedule: '*/15 * * * *' });
    expect(config.crons.find((cron) => cron.path === '/api/rebuild')?.schedule).toMatch(/^\d+ \d+ \* \* \*$/);
    const fn = file(files, 'api/check.js');
    expect(fn).toContain('Bearer ${process.env.CRON_SECRET}');
    expect(fn).toContain("import { checkForChanges } from 'astro-loader-instagram/check';");
    expect(fn).toMatch(/checkForChanges\(\{ site, token: process\.env\.INSTAGRAM_TOKEN, hook: process\.env\.DEPLOY_HOOK_URL \}\)/);
    expect(fn).not.toContain('fetch(');
    await checkSyntax('check.js', fn);
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

describe('docs/deploy-github-actions.md: following Instagram and the token', () => {
  interface Job {
    if?: string;
    permissions?: Record<string, string>;
    steps?: Step[];
  }
  const workflow = async (name: string) =>
    parseYaml(file(await filesOf('deploy-github-actions.md'), `.github/workflows/${name}`)) as {
      on: { schedule: Array<{ cron: string }> };
      permissions: Record<string, string>;
      jobs: Record<string, Job>;
    };

  it('checks every 15 minutes with check --hook and rebuilds daily anyway', async () => {
    const { on, jobs } = await workflow('instagram-check.yml');
    const crons = on.schedule.map((entry) => entry.cron);
    expect(crons).toContain('*/15 * * * *');
    const daily = crons.find((cron) => /^\d+ \d+ \* \* \*$/.test(cron));
    expect(daily).toBeDefined();
    const check = jobs.check!.steps!.find((step) => step.run?.includes('npx astro-loader-instagram check'))!;
    expect(check.run).toBe('npx astro-loader-instagram check --site "$SITE_URL" --hook "$HOOK"');
    expect(check.env).toMatchObject({ INSTAGRAM_TOKEN: '${{ secrets.INSTAGRAM_TOKEN }}', HOOK: '${{ secrets.BUILD_HOOK }}' });
    expect(jobs.check!.if).toBe(`github.event.schedule != '${daily}'`);
    expect(jobs['daily-rebuild']!.if).toBe(`github.event.schedule == '${daily}'`);
    expect(jobs['daily-rebuild']!.steps![0]!.run).toMatch(/curl .*-X POST .*"\$HOOK"/);
  });

  it('opens, updates or closes one issue from status --fail-within 14, with GITHUB_TOKEN and issues: write', async () => {
    const { on, permissions, jobs } = await workflow('instagram-token.yml');
    expect(on.schedule[0]!.cron).toMatch(CRON);
    expect(permissions.issues).toBe('write');
    const step = jobs.token!.steps!.find((candidate) => candidate.run?.includes('status --fail-within 14'))!;
    expect(step.env?.GH_TOKEN).toBe('${{ github.token }}');
    expect(step.run).toContain('gh issue create --title "$TITLE"');
    expect(step.run).toContain('gh issue edit "$issue"');
    expect(step.run).toContain('gh issue close "$issue"');
  });
});

/**
 * The token step's shell, run as GitHub runs it (bash -eo pipefail) with stand-ins for `gh` and `npx` that
 * log their arguments: one issue is opened, then updated while the token stays unhealthy, then closed.
 */
describe('docs/deploy-github-actions.md: the token issue, step by step', () => {
  async function runTokenStep(status: { code: number; line: string }, openIssue: string) {
    const workflow = parseYaml(file(await filesOf('deploy-github-actions.md'), '.github/workflows/instagram-token.yml')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const step = workflow.jobs.token!.steps.find((candidate) => candidate.run?.includes('status --fail-within 14'))!;
    const bin = await mkdtemp(path.join(tmpdir(), 'ig-gh-'));
    const log = path.join(bin, 'calls.log');
    await writeFile(log, '');
    await writeFile(
      path.join(bin, 'gh'),
      `#!/bin/sh\nprintf '%s\\n' "gh $*" >> "${log}"\nif [ "$1 $2" = "issue list" ]; then printf '%s' "$OPEN_ISSUE"; fi\n`,
      { mode: 0o755 },
    );
    await writeFile(path.join(bin, 'npx'), `#!/bin/sh\nprintf '%s\\n' "npx $*" >> "${log}"\necho "$STATUS_LINE"\nexit "$STATUS_CODE"\n`, {
      mode: 0o755,
    });
    const env = {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      TITLE: step.env!.TITLE!,
      GITHUB_RUN_ID: '4242',
      OPEN_ISSUE: openIssue,
      STATUS_CODE: String(status.code),
      STATUS_LINE: status.line,
    };
    const code = await new Promise<number | null>((resolve) => {
      execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { env }, (error) =>
        resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
      );
    });
    // One line per call; an issue body's own lines follow its call's line.
    const text = await readFile(log, 'utf8');
    return { code, text, calls: text.trim().split('\n') };
  }
  const dying = { code: 1, line: 'expiring: @demo.studio, token dies on 2026-12-10 (9 days left)' };
  const healthy = { code: 0, line: 'ok: @demo.studio, token valid until 2027-01-30 (60 days left)' };

  it('opens one issue when status --fail-within 14 fails and none is open; the run fails', async () => {
    const { code, text, calls } = await runTokenStep(dying, '');
    expect(calls).toContain('npx astro-loader-instagram status --fail-within 14');
    const create = calls.filter((call) => call.startsWith('gh issue create'));
    expect(create).toHaveLength(1);
    expect(create[0]).toContain('--title Instagram token needs attention');
    const body = text.slice(text.indexOf('gh issue create'));
    expect(body).toContain(`> ${dying.line}`);
    expect(body).toContain('npx astro-loader-instagram refresh');
    expect(code).toBe(1);
  });

  it('updates the open issue on the next failing day instead of opening another', async () => {
    const { calls } = await runTokenStep(dying, '7');
    expect(calls.filter((call) => call.startsWith('gh issue edit 7 --body'))).toHaveLength(1);
    expect(calls.some((call) => call.startsWith('gh issue create'))).toBe(false);
  });

  it('closes the open issue once the token is healthy, and passes', async () => {
    const { code, calls } = await runTokenStep(healthy, '7');
    expect(calls.filter((call) => call.startsWith('gh issue close 7 --comment'))).toHaveLength(1);
    expect(code).toBe(0);
  });

  it('does nothing but look when healthy and no issue is open', async () => {
    const { code, calls } = await runTokenStep(healthy, '');
    expect(calls.filter((call) => call.startsWith('gh ')).every((call) => call.startsWith('gh issue list'))).toBe(true);
    expect(code).toBe(0);
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
    expect([...named].sort()).toEqual(expect.arrayContaining(['check', 'facebook-token', 'login', 'refresh', 'status']));
    for (const command of named) expect(Object.keys(COMMANDS), command).toContain(command);

    const help = await runCli(['refresh', '--help'], { cwd: repoRoot });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--raw');
  });
});
