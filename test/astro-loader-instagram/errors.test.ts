import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { AstroError } from 'astro/errors';
import type { LoaderContext } from 'astro/loaders';
import { InstagramError } from 'instagram-graph';
import { describe, expect, it } from 'vitest';
import { usageError } from '../../packages/astro-loader-instagram/src/cli/args.js';
import { CliError } from '../../packages/astro-loader-instagram/src/cli/cli-error.js';
import { failureOf, giveUp, MISSING_TOKEN } from '../../packages/astro-loader-instagram/src/failure.js';
import { asCacheWriteError, CacheWriteError } from '../../packages/astro-loader-instagram/src/media/cache-write-error.js';
import { readStore, TokenStoreError } from '../../packages/astro-loader-instagram/src/token/store.js';

/** Every error of the loader and CLI carries `what` and `fix` as fields, and the error it wraps as `cause`. */
describe('loader and CLI errors carry what, fix, code and cause', () => {
  it('CacheWriteError: what, fix, code, dir, and the file system error as cause; message unchanged', () => {
    const fsError = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
      path: '/cache/images/1.jpg',
    });
    const error = asCacheWriteError(fsError, '/fallback');
    expect(error).toBeInstanceOf(CacheWriteError);
    expect(error).toMatchObject({
      code: 'ENOSPC',
      dir: '/cache/images',
      what: 'cannot write the media cache in /cache/images (ENOSPC: no space left on device)',
      fix: "Free disk space, or point Astro's `cacheDir` at a disk with room.",
    });
    expect(error!.message).toBe(`${error!.what}. ${error!.fix}`);
    expect(error!.cause).toBe(fsError);
  });

  it('TokenStoreError: what, fix, code, and the file system error as cause', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ig-store-error-'));
    // A folder where the store file should be: reading it fails with EISDIR.
    const error = await readStore(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenStoreError);
    const storeError = error as TokenStoreError;
    expect(storeError.code).toBe('EISDIR');
    expect(storeError.what).toMatch(/^could not read the token store .* \(EISDIR\)$/);
    expect(storeError.fix).toMatch(/^Make .* readable by this user\.$/);
    expect(storeError.message).toBe(`${storeError.what}. ${storeError.fix}`);
    expect((storeError.cause as NodeJS.ErrnoException).code).toBe('EISDIR');
  });

  it('CliError: what and fix as fields; a fix that goes on with the sentence follows a colon, else a full stop', () => {
    const goesOn = new CliError('No app id', 'pass --client-id or set INSTAGRAM_APP_ID.', 2);
    expect(goesOn).toMatchObject({ what: 'No app id', fix: 'pass --client-id or set INSTAGRAM_APP_ID.', exitCode: 2 });
    expect(goesOn.message).toBe('No app id: pass --client-id or set INSTAGRAM_APP_ID.');
    expect(new CliError('Nothing was pasted', 'Start the login again.').message).toBe('Nothing was pasted. Start the login again.');
    expect(new CliError('Cancelled.', '', 130).message).toBe('Cancelled.');
  });

  it('CliError.from: the client error’s what and fix, cleaned, with the client error as cause unless it holds a secret', () => {
    const secret = 'IGAAsecret-token-123456789';
    const clean = (text: string) => text.split(secret).join('[redacted]');
    const inner = new InstagramError('transient', 'Instagram API GET /me failed: socket hang up');
    const error = CliError.from(inner, clean, 'Could not ask Instagram: ');
    expect(error.what).toBe('Could not ask Instagram: Instagram API GET /me failed: socket hang up');
    expect(error.fix).toBe(inner.fix);
    expect(error.message).toBe(`${error.what}. ${inner.fix}`);
    expect(error.cause).toBe(inner);

    const leaky = CliError.from(new InstagramError('transient', `Instagram API GET /me failed near ${secret}`), clean);
    expect(leaky.what).toBe('Instagram API GET /me failed near [redacted]');
    expect(leaky.cause).toBeUndefined();
    expect(inspect(leaky, { depth: 10 })).not.toContain(secret);
  });

  it('usageError keeps parseArgs’s error as the cause', () => {
    const parseError = new TypeError("Unknown option '--nope'");
    const error = usageError(parseError, 'status');
    expect(error.message).toBe("Unknown option '--nope'. See `npx astro-loader-instagram status --help`.");
    expect(error.cause).toBe(parseError);
  });
});

/** A loader context with just what giveUp reads. */
function contextWith(keys: string[], warnings: string[]): LoaderContext {
  return {
    collection: 'posts',
    store: { keys: () => keys },
    meta: new Map<string, string>(),
    logger: { warn: (line: string) => warnings.push(line) },
  } as unknown as LoaderContext;
}

describe('giveUp: a failed sync fails the build with AstroError(what, fix), or keeps the last sync with one line', () => {
  const secret = 'IGAAsecret-token-123456789';
  const dead = new InstagramError('auth', 'Instagram API GET /me/media failed (code 190): Invalid OAuth access token');

  it('fails with AstroError: the line as message, the fix as hint, no stack and no cause for an expected failure', () => {
    const error = (() => {
      try {
        giveUp(contextWith([], []), { onError: 'keep' }, false, failureOf(dead, [secret]));
      } catch (caught) {
        return caught as AstroError;
      }
    })();
    expect(error).toBeInstanceOf(AstroError);
    expect(error!.message).toBe(`astro-loader-instagram (posts): ${dead.what}.`);
    expect(error!.hint).toBe(dead.fix);
    expect(error!.stack).toBe('');
    expect(error!.cause).toBeUndefined();
  });

  it('the missing token fails the same way, with its fix as the hint', () => {
    expect(() => giveUp(contextWith([], []), { onError: 'keep' }, false, MISSING_TOKEN)).toThrow(
      expect.objectContaining({ message: 'astro-loader-instagram (posts): No Instagram access token.', hint: MISSING_TOKEN.fix }),
    );
  });

  it('keeps the last sync with one warning line: what, fix, what was kept', () => {
    const warnings: string[] = [];
    giveUp(contextWith(['1', '2'], warnings), { onError: 'keep' }, true, failureOf(dead, [secret]));
    expect(warnings).toEqual([`astro-loader-instagram (posts): ${dead.message} Kept the 2 posts from the last successful sync.`]);
  });

  it('an unexpected error is named as one, token-free; its cause is kept only when it shows no token', () => {
    const clean = failureOf(new TypeError('boom'), [secret]);
    expect(clean.what).toBe('Unexpected error while reading Instagram: boom');
    expect(clean.fix).toBeUndefined();
    expect(clean.cause).toBeInstanceOf(TypeError);

    const leaky = failureOf(new TypeError(`boom ${secret}`), [secret]);
    expect(leaky.what).toBe('Unexpected error while reading Instagram: boom [redacted]');
    expect(leaky.cause).toBeUndefined();
    let thrown: unknown;
    try {
      giveUp(contextWith([], []), { onError: 'fail' }, true, leaky);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(AstroError);
    expect(inspect(thrown, { depth: 10 })).not.toContain(secret);
  });
});
