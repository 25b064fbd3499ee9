import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Path of a post/child/profile JPEG on the fake CDN. */
export function imagePath(id: string, profile = false): string {
  return profile ? `/cdn/v/t51.2885-19/${id}_n.jpg` : `/cdn/v/t51.29350-15/${id}_n.jpg`;
}

/** Path of a video MP4 on the fake CDN. */
export function videoPath(id: string): string {
  return `/cdn/o1/v/t16/${id}.mp4`;
}

function isVideoPath(path: string): boolean {
  return path.startsWith('/cdn/o1/');
}

export type Verdict = 'ok' | 'mismatch' | 'expired' | 'bad-timestamp';

/**
 * Which of Meta's CDNs the URLs look like. `cdninstagram` (scontent-*.cdninstagram.com) refuses an
 * expired URL with 403 "URL signature expired"; `fbcdn` (scontent-*.xx.fbcdn.net, seen with
 * Facebook Login) refuses any bad or expired signature with 403 "Bad URL hash".
 */
export type CdnStyle = 'cdninstagram' | 'fbcdn';

/** Lifetimes of signed URLs, in seconds: videos expire sooner than images on the real CDN. */
export interface UrlLifetimes {
  images: number;
  videos: number;
}

/**
 * Signs CDN URLs like Instagram's: `oh` = HMAC(secret, path + ohc + oe), `oe` = expiry as
 * 8 hex digits of unix seconds. `_nc_ohc` is random per URL, so the query rotates on every call.
 */
export class CdnSigner {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly origin: string,
    private readonly lifetimes: UrlLifetimes,
    private readonly now: () => number,
    readonly style: CdnStyle = 'cdninstagram',
  ) {}

  sign(path: string): string {
    const ohc = randomBytes(9).toString('base64url');
    const ttl = isVideoPath(path) ? this.lifetimes.videos : this.lifetimes.images;
    const oe = (Math.floor(this.now() / 1000) + ttl).toString(16).toUpperCase().padStart(8, '0');
    const query = [
      `_nc_cat=${100 + Math.floor(Math.random() * 12)}`,
      'ccb=1-7',
      `_nc_sid=${isVideoPath(path) ? '5e9851' : '18de74'}`,
      `_nc_ohc=${ohc}`,
      `_nc_ht=${this.style === 'fbcdn' ? 'scontent-fake1-1.xx.fbcdn.net' : 'scontent-fake1-1.cdninstagram.com'}`,
      'edm=ANo9K5cEAAAA',
      `oh=00_${this.signature(path, ohc, oe)}`,
      `oe=${oe}`,
    ];
    return `${this.origin}${path}?${query.join('&')}`;
  }

  verify(path: string, params: URLSearchParams): Verdict {
    const ohc = params.get('_nc_ohc') ?? '';
    const oe = params.get('oe') ?? '';
    const oh = params.get('oh') ?? '';
    if (!/^[0-9A-Fa-f]{8}$/.test(oe)) return 'bad-timestamp';
    const expected = Buffer.from(`00_${this.signature(path, ohc, oe)}`);
    const given = Buffer.from(oh);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
    if (parseInt(oe, 16) * 1000 <= this.now()) return 'expired';
    return 'ok';
  }

  /** The 403 text the real CDN sends for a verdict other than ok. */
  refusal(verdict: Exclude<Verdict, 'ok'>): string {
    if (this.style === 'fbcdn') return 'Bad URL hash';
    return { mismatch: 'URL signature mismatch', 'bad-timestamp': 'Bad URL timestamp', expired: 'URL signature expired' }[verdict];
  }

  private signature(path: string, ohc: string, oe: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${ohc}\n${oe}`).digest('base64url');
  }
}
