import { InstagramError } from './errors.js';

export const DEFAULT_API_URL = 'https://graph.instagram.com';
/** Host of the Instagram API with Facebook Login (page tokens that need not expire). */
export const FACEBOOK_API_URL = 'https://graph.facebook.com';

/** The API origin plus any proxy path, without a trailing slash or version segment. */
export function apiRoot(apiUrl: string | undefined, fallback = DEFAULT_API_URL): string {
  const raw = apiUrl || fallback;
  const root = urlRoot(raw);
  if (root === undefined) {
    throw new InstagramError(
      'invalid-request',
      `apiUrl "${raw.slice(0, 80)}" is not a URL`,
      'Set it (or INSTAGRAM_API_URL) to e.g. https://graph.instagram.com.',
    );
  }
  return root;
}

/** Origin plus path without a trailing slash, or undefined when `url` is not a URL. */
export function urlRoot(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}
