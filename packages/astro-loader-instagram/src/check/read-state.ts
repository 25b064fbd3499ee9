import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_STATE_FILE } from '../constants.js';
import { type CollectionState, SITE_STATE_VERSION, type SiteState } from '../site-state/shape.js';
import { CheckError, networkReason } from './check-error.js';

const TIMEOUT_MS = 15_000;

/**
 * The deployed state: `<site><stateFile>` over HTTP, or the file in a built folder (`dist/`).
 * Checked by hand, not with astro/zod: this module runs where Astro is not installed.
 */
export async function readSiteState(site: string, stateFile = DEFAULT_STATE_FILE, fetchImpl: typeof fetch = fetch): Promise<SiteState> {
  const { text, where } = /^https?:\/\//i.test(site) ? await download(site, stateFile, fetchImpl) : await readLocal(site, stateFile);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(where, 'it is not JSON');
  }
  return validate(json, where);
}

async function download(site: string, stateFile: string, fetchImpl: typeof fetch): Promise<{ text: string; where: string }> {
  const url = new URL(stateFile.replace(/^\/+/, ''), site.endsWith('/') ? site : `${site}/`);
  const where = `${url.origin}${url.pathname}`; // no query string: it could hold a preview secret
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new CheckError(
      'site',
      `The site is unreachable: GET ${where} failed (${networkReason(error)})`,
      'Check the --site URL and that the site is deployed.',
    );
  }
  if (response.status === 404) throw missing(where);
  if (!response.ok) {
    throw new CheckError(
      'site',
      `The site answered HTTP ${response.status} for ${where}`,
      'Check the --site URL and that the site is deployed.',
    );
  }
  return { text: await response.text(), where };
}

async function readLocal(site: string, stateFile: string): Promise<{ text: string; where: string }> {
  const dir = path.resolve(site);
  const file = path.join(dir, ...stateFile.split('/').filter(Boolean));
  const isDir = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new CheckError(
      'site',
      `--site ${site} is neither an http(s) URL nor a folder`,
      'Pass the deployed URL or the built folder (e.g. dist/).',
    );
  try {
    return { text: await readFile(file, 'utf8'), where: file };
  } catch {
    throw missing(file);
  }
}

const missing = (where: string) =>
  new CheckError(
    'state',
    `No Instagram state file at ${where}`,
    'Add the integration (`integrations: [instagram()]`, stateFile not false) and rebuild the site; its first build publishes the file.',
  );

const invalid = (where: string, why: string) =>
  new CheckError(
    'state',
    `The Instagram state file at ${where} is not valid: ${why}`,
    'Rebuild the site with this version of astro-loader-instagram.',
  );

function validate(json: unknown, where: string): SiteState {
  const state = json as Partial<SiteState> | null;
  if (!state || typeof state !== 'object') throw invalid(where, 'not an object');
  if (state.version !== SITE_STATE_VERSION)
    throw invalid(where, `version ${String(state.version)}, this check reads version ${SITE_STATE_VERSION}`);
  if (!state.collections || typeof state.collections !== 'object') throw invalid(where, 'no "collections"');
  for (const [name, collection] of Object.entries(state.collections)) {
    if (!isCollection(collection)) throw invalid(where, `collection "${name.slice(0, 40)}" is incomplete`);
  }
  return state as SiteState;
}

function isCollection(value: unknown): value is CollectionState {
  const c = value as Partial<CollectionState> | null;
  return (
    !!c &&
    typeof c.account === 'string' &&
    typeof c.posts === 'number' &&
    (c.listed === undefined || typeof c.listed === 'number') &&
    !!c.newestPage &&
    Array.isArray(c.newestPage.posts) &&
    c.newestPage.posts.every((post) => typeof post?.id === 'string' && typeof post.time === 'string' && typeof post.digest === 'string')
  );
}
