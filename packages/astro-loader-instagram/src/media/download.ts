import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { describeUrl, messageOf } from 'instagram-graph';
import pRetry, { type Options as PRetryOptions } from 'p-retry';
import { tempPathFor } from '../utils/atomic-write.js';
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
  /** Clock for reading a URL's `oe` expiry. Default Date.now. */
  now?: () => number;
}

/** Why a download failed. `expired` means the signed URL must be re-fetched from the API. */
export type DownloadFailure = 'expired' | 'forbidden' | 'not-found' | 'forbidden-host' | 'too-large' | 'http' | 'network' | 'truncated';

export class DownloadError extends Error {
  readonly failure: DownloadFailure;
  readonly status: number | undefined;
  /** The CDN's own words for a refusal (e.g. "Bad URL hash"), short and without the URL. */
  readonly cdnText: string;
  constructor(failure: DownloadFailure, message: string, status?: number, cdnText = '') {
    super(message);
    this.name = 'DownloadError';
    this.failure = failure;
    this.status = status;
    this.cdnText = cdnText;
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
export async function downloadAndDecode<T>(url: string, options: DownloadOptions, decode: (bytes: Buffer) => Promise<T>): Promise<T> {
  return pRetry(async () => {
    const bytes = await fetchOnce(url, options);
    try {
      return await decode(bytes);
    } catch (error) {
      if ((error as { permanent?: boolean }).permanent) throw error; // e.g. over the pixel limit
      throw new DownloadError('truncated', `${describeUrl(url)} is not a complete image (${oneLineReason(error)})`);
    }
  }, retryPolicy(options));
}

/** Exponential, jittered retries of what is worth retrying (network, 5xx, short or corrupt bodies). */
function retryPolicy(options: DownloadOptions): PRetryOptions {
  return {
    retries: options.retries,
    minTimeout: options.minRetryDelayMs,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => error instanceof DownloadError && error.retryable,
  };
}

/**
 * Runs `attempt` with the media's signed URL; when the CDN refuses it as expired, asks the API once
 * for a newly signed URL and tries again. A URL whose `oe` has already passed is re-signed before
 * any request is spent on it. Resolves to undefined when the media has no URL: Instagram leaves it
 * out for copyrighted material (licensed audio), and asking again would only spend a rate-limited
 * call on every build.
 */
export async function withFreshUrlOnExpiry<T>(
  url: string | undefined,
  freshUrl: () => Promise<string | undefined>,
  attempt: (url: string) => Promise<T>,
  { onResigned, now = Date.now }: { onResigned?: () => void; now?: (() => number) | undefined } = {},
): Promise<{ result: T } | undefined> {
  if (!url) return undefined;
  const resign = async () => {
    const fresh = await freshUrl();
    if (fresh) onResigned?.();
    return fresh;
  };
  const expiry = expiryOf(url);
  if (expiry !== undefined && expiry <= now()) {
    // Doomed: ask for a new URL first. Without one (no way to re-sign), the old one is still tried.
    const fresh = await resign();
    return { result: await attemptResigned(fresh ?? url, attempt, fresh !== undefined) };
  }
  try {
    return { result: await attempt(url) };
  } catch (error) {
    if (!(error instanceof DownloadError && error.failure === 'expired')) throw error;
    const fresh = await resign();
    if (!fresh) throw error;
    return { result: await attemptResigned(fresh, attempt, true) };
  }
}

/** A second refusal of a freshly signed URL is not expiry: it is a hard failure, said plainly. */
async function attemptResigned<T>(url: string, attempt: (url: string) => Promise<T>, resigned: boolean): Promise<T> {
  try {
    return await attempt(url);
  } catch (error) {
    if (!(resigned && error instanceof DownloadError && error.failure === 'expired')) throw error;
    throw new DownloadError(
      'forbidden',
      `${describeUrl(url)}: the CDN refused a freshly signed URL too (HTTP 403 ${error.cdnText}); Instagram may have removed the media or be blocking this network`,
      403,
    );
  }
}

/**
 * When a signed CDN URL stops working: its `oe` parameter, hex Unix seconds (ms here). Undefined for
 * URLs without one (proxies, other CDNs).
 */
export function expiryOf(url: string): number | undefined {
  let oe: string | null;
  try {
    oe = new URL(url).searchParams.get('oe');
  } catch {
    return undefined;
  }
  return oe && /^[0-9a-f]{1,12}$/i.test(oe) ? Number.parseInt(oe, 16) * 1000 : undefined;
}

/** Where downloaded bytes go: memory for images, a file for videos. */
interface Sink {
  write(chunk: Uint8Array): void | Promise<void>;
}

async function fetchOnce(url: string, options: DownloadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const size = await fetchInto(url, options, { write: (chunk) => void chunks.push(Buffer.from(chunk)) });
  return Buffer.concat(chunks, size);
}

/**
 * Streams a file (a video) to `file`, retrying like images. Written to a temp name and renamed, so
 * an interrupted build never leaves half a file.
 */
export async function downloadToFile(url: string, file: string, options: DownloadOptions): Promise<void> {
  await pRetry(async () => {
    const temp = tempPathFor(file);
    const out = createWriteStream(temp);
    try {
      await fetchInto(url, options, {
        write: (chunk) => (out.write(chunk) ? undefined : once(out, 'drain').then(() => undefined)),
      });
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await rename(temp, file);
    } catch (error) {
      out.destroy();
      await rm(temp, { force: true });
      throw error;
    }
  }, retryPolicy(options));
}

/** One attempt: follows allowed redirects, checks the status, streams the body into `sink`. */
async function fetchInto(url: string, options: DownloadOptions, sink: Sink): Promise<number> {
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
    return readBody(response, current, options, sink);
  }
  throw new DownloadError('http', `${describeUrl(url)}: more than ${MAX_REDIRECTS} redirects`);
}

function httpFailure(status: number, body: string, url: URL): DownloadError {
  // Once `oe` has passed, cdninstagram.com answers 403 "URL signature expired" (or "Bad URL
  // timestamp"), fbcdn.net answers 403 "Bad URL hash". The wording is not stable, and every URL we
  // request is an allowed CDN host, so any 403 counts as possibly expired and is re-signed once.
  if (status === 403) {
    const said = body.replace(/\s+/g, ' ').trim().slice(0, 60) || 'no reason given';
    return new DownloadError('expired', `${describeUrl(url)}: CDN URL expired or refused (403 ${said})`, status, said);
  }
  if (status === 404 || status === 410) return new DownloadError('not-found', `${describeUrl(url)}: HTTP ${status}`, status);
  return new DownloadError('http', `${describeUrl(url)}: HTTP ${status}`, status);
}

async function readBody(response: Response, url: URL, options: DownloadOptions, sink: Sink): Promise<number> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new DownloadError('too-large', `${describeUrl(url)}: ${declared} bytes exceeds the ${options.maxBytes}-byte limit`);
  }
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > options.maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new DownloadError('too-large', `${describeUrl(url)}: more than ${options.maxBytes} bytes`);
      }
      await sink.write(chunk);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError('truncated', `${describeUrl(url)}: connection lost after ${size} bytes (${reasonOf(error)})`);
  }
  if (Number.isFinite(declared) && size !== declared) {
    throw new DownloadError('truncated', `${describeUrl(url)}: got ${size} of ${declared} bytes`);
  }
  return size;
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new DownloadError('forbidden-host', 'refused to download from an invalid URL');
  }
}

function oneLineReason(error: unknown): string {
  return messageOf(error).replace(/\s+/g, ' ').slice(0, 120);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? messageOf(error);
}
