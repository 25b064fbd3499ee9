/**
 * Image downloads may only go to Instagram's and Facebook's CDNs over https, or to the origin of the
 * configured API (a proxy). Anything else, including a redirect to another host, is refused so a
 * poisoned API answer cannot make the build fetch arbitrary URLs (cloud metadata, intranet hosts).
 * One allowance: when the API itself is on this machine (a local proxy or test double, which has no
 * way to look like cdninstagram.com), media on this machine is allowed too, on any port.
 */
const CDN_HOST = /(^|\.)(cdninstagram\.com|fbcdn\.net)$/i;

export function isAllowedMediaUrl(url: URL, apiOrigin: string | undefined): boolean {
  if (!/^https?:$/.test(url.protocol)) return false;
  if (apiOrigin && url.origin === apiOrigin) return true;
  if (apiOrigin && isLoopback(new URL(apiOrigin).hostname) && isLoopback(url.hostname)) return true;
  return url.protocol === 'https:' && CDN_HOST.test(url.hostname);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
