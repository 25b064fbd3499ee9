/**
 * Scrubs secrets from text before it reaches an error message or a log line.
 * Paging `next` URLs and request URLs carry `access_token=`; app secrets travel as `client_secret=`.
 */
const SECRET_PARAMS = /([?&](?:access_token|client_secret|input_token|fb_exchange_token|code)=)[^&#\s"']+/gi;

export const REDACTED = '[redacted]';

export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let clean = text.replace(SECRET_PARAMS, `$1${REDACTED}`);
  for (const secret of secrets) {
    // Short strings would shred ordinary words; real tokens are long.
    if (secret && secret.length >= 8) clean = clean.split(secret).join(REDACTED);
  }
  return clean;
}

/** A URL safe to show: origin and path only, no query (which may hold a token or a CDN signature). */
export function describeUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
