/**
 * Image downloads may only go to Instagram's and Facebook's CDNs over https, or to the origin of the
 * configured API (a proxy, or the fake server in tests). Anything else, including a redirect to
 * another host, is refused so a poisoned API answer cannot make the build fetch arbitrary URLs.
 */
const CDN_HOST = /(^|\.)(cdninstagram\.com|fbcdn\.net)$/i;

export function isAllowedMediaUrl(url: URL, apiOrigin: string | undefined): boolean {
  if (apiOrigin && url.origin === apiOrigin) return true;
  return url.protocol === 'https:' && CDN_HOST.test(url.hostname);
}
