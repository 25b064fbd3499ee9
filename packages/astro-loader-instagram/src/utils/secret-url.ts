/**
 * A URL whose path or query is a credential (a build hook, an alerts webhook), as it may be printed:
 * its origin only, `https://hooks.example.com/…`; `fallback` when it is not a URL.
 */
export function urlOrigin(url: string, fallback: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}/…` : fallback;
}
