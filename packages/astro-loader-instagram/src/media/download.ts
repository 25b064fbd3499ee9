import { describeUrl } from 'instagram-graph';
import pRetry from 'p-retry';
import { isAllowedMediaUrl } from './allowed-url.js';

export interface DownloadOptions {
  /** Origin of the configured API, also trusted for media (proxies, the fake server). */
  apiOrigin: string | undefined;
  timeoutMs: number;
  /** Refuse bodies larger than this. */
  maxBytes: number;
  retries: number;
  minRetryDelayMs: number;
  fetch: typeof fetch;
  /** Counts every HTTP request made (retries and redirects included). */
  onRequest?: () => void;
}

/** Why a download failed. `expired` means the signed URL must be re-fetched from the API. */
export type DownloadFailure = 'expired' | 'not-found' | 'forbidden-host' | 'too-large' | 'http' | 'network' | 'truncated';

export class DownloadError extends Error {
  readonly failure: DownloadFailure;
  readonly status: number | undefined;
  constructor(failure: DownloadFailure, message: string, status?: number) {
    super(message);
    this.name = 'DownloadError';
    this.failure = failure;
    this.status = status;
  }
  get retryable(): boolean {
    return this.failure === 'network' || this.failure === 'truncated' || (this.failure === 'http' && (this.status ?? 0) >= 500);
  }
}

const MAX_REDIRECTS = 3;

/**
 * Downloads one file into memory (bounded by `maxBytes`) and decodes it, retrying network errors,
 * 5xx answers, short bodies and bytes that fail to decode (a cut connection often still says 200).
 * Messages name only origin and path: the query holds the CDN signature.
 */
export async function downloadAndDecode<T>(
  url: string,
  options: DownloadOptions,
  decode: (bytes: Buffer) => Promise<T>,
): Promise<T> {
  return pRetry(
    async () => {
      const bytes = await fetchOnce(url, options);
      try {
        return await decode(bytes);
      } catch (error) {
        if ((error as { permanent?: boolean }).permanent) throw error; // e.g. over the pixel limit
        throw new DownloadError('truncated', `${describeUrl(url)} is not a complete image (${oneLineReason(error)})`);
      }
    },
    {
      retries: options.retries,
      minTimeout: options.minRetryDelayMs,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof DownloadError && error.retryable,
    },
  );
}

async function fetchOnce(url: string, options: DownloadOptions): Promise<Buffer> {
  let current = parseUrl(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isAllowedMediaUrl(current, options.apiOrigin)) {
      throw new DownloadError('forbidden-host', `refused to download from ${describeUrl(current)}: not an Instagram CDN host`);
    }
    options.onRequest?.();
    let response: Response;
    try {
      response = await options.fetch(current, { redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      throw new DownloadError('network', `${describeUrl(current)}: ${reasonOf(error)}`);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel();
      current = parseUrl(new URL(response.headers.get('location') ?? '', current).href);
      continue;
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      throw httpFailure(response.status, body, current);
    }
    return readBody(response, current, options);
  }
  throw new DownloadError('http', `${describeUrl(url)}: more than ${MAX_REDIRECTS} redirects`);
}

function httpFailure(status: number, body: string, url: URL): DownloadError {
  // Instagram's CDN answers 403 text/plain "URL signature expired" (or "Bad URL timestamp",
  // "URL signature mismatch") once `oe` has passed.
  if (status === 403 && /signature|timestamp|expired/i.test(body)) {
    return new DownloadError('expired', `${describeUrl(url)}: CDN URL expired (403 ${body.trim().slice(0, 60)})`, status);
  }
  if (status === 404 || status === 410) return new DownloadError('not-found', `${describeUrl(url)}: HTTP ${status}`, status);
  return new DownloadError('http', `${describeUrl(url)}: HTTP ${status}`, status);
}

async function readBody(response: Response, url: URL, options: DownloadOptions): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new DownloadError('too-large', `${describeUrl(url)}: ${declared} bytes exceeds the ${options.maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > options.maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new DownloadError('too-large', `${describeUrl(url)}: more than ${options.maxBytes} bytes`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError('truncated', `${describeUrl(url)}: connection lost after ${size} bytes (${reasonOf(error)})`);
  }
  if (Number.isFinite(declared) && size !== declared) {
    throw new DownloadError('truncated', `${describeUrl(url)}: got ${size} of ${declared} bytes`);
  }
  return Buffer.concat(chunks, size);
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new DownloadError('forbidden-host', 'refused to download from an invalid URL');
  }
}

function oneLineReason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 120);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
