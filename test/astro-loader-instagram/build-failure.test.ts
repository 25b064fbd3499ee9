import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, tempSiteDirs } from '../helpers/astro.js';

/**
 * How Astro prints a build the loader fails on purpose (no previous sync to keep): Astro's own
 * `AstroError` layout, our line as the message and our fix as its hint, and no stack trace, since
 * an expected failure is the whole story.
 */
let fake: FakeInstagram;
beforeAll(async () => {
  fake = await startFakeInstagram({ posts: 2, seed: 71 });
});
afterAll(() => fake?.close());

/** The lines from our failure line to the end of the output. */
function failureBlock(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.includes('astro-loader-instagram (instagram):'));
  expect(start, output).toBeGreaterThanOrEqual(0);
  return lines.slice(start);
}

describe('a failed build, as Astro prints it', () => {
  it('a dead token: our line, then the fix as the hint, and no stack', async () => {
    const dead = 'IGAAdead-token-0000000000000';
    const result = await buildFixture('basic', await tempSiteDirs('ig-failure-dead'), {
      INSTAGRAM_TOKEN: dead,
      INSTAGRAM_API_URL: fake.url,
    });
    expect(result.code, result.output).not.toBe(0);
    const [line, hintLabel, hint] = failureBlock(result.output);
    expect(line).toMatch(
      /^\[AstroUserError\] astro-loader-instagram \(instagram\): Instagram API GET \/me\/media failed \(code 190\): .+\.$/,
    );
    expect(hintLabel?.trim()).toBe('Hint:');
    expect(hint?.trim()).toMatch(/^Generate a new long-lived token .*INSTAGRAM_TOKEN\.$/);
    expect(result.output).not.toMatch(/Stack trace|Caused by|^\s+at /m);
    expect(result.output).not.toContain(dead);
  });

  it('no token at all: the same shape, with how to set one', async () => {
    const result = await buildFixture('basic', await tempSiteDirs('ig-failure-missing'), {
      INSTAGRAM_TOKEN: '',
      INSTAGRAM_API_URL: fake.url,
    });
    expect(result.code, result.output).not.toBe(0);
    const [line, hintLabel, hint] = failureBlock(result.output);
    expect(line).toBe('[AstroUserError] astro-loader-instagram (instagram): No Instagram access token.');
    expect(hintLabel?.trim()).toBe('Hint:');
    expect(hint?.trim()).toMatch(/^Set INSTAGRAM_TOKEN .* or pass `token` to the loader\.$/);
    expect(result.output).not.toMatch(/Stack trace|Caused by|^\s+at /m);
  });
});
