import { describe, expect, it } from 'vitest';
import { isAllowedMediaUrl } from '../../packages/astro-loader-instagram/src/media/allowed-url.js';

const allowed = (url: string, api = 'https://graph.instagram.com') => isAllowedMediaUrl(new URL(url), new URL(api).origin);

describe('which media URLs the loader downloads', () => {
  it('takes Instagram and Facebook CDN hosts over https only', () => {
    expect(allowed('https://scontent-iad3-1.cdninstagram.com/v/t51/1_n.jpg?oe=6A1BE7E2')).toBe(true);
    expect(allowed('https://scontent.xx.fbcdn.net/v/1.jpg')).toBe(true);
    expect(allowed('http://scontent.cdninstagram.com/v/1.jpg')).toBe(false);
    expect(allowed('https://cdninstagram.com.evil.example/1.jpg')).toBe(false);
    expect(allowed('https://evilcdninstagram.com/1.jpg')).toBe(false);
  });

  it('refuses other hosts, cloud metadata and non-http schemes', () => {
    expect(allowed('http://169.254.169.254/latest/meta-data/')).toBe(false);
    expect(allowed('http://127.0.0.1:8080/x.jpg')).toBe(false);
    expect(allowed('file:///etc/passwd')).toBe(false);
  });

  it('takes the API origin itself (a proxy), and loopback when the API is on this machine', () => {
    expect(allowed('https://proxy.example/cdn/1.jpg', 'https://proxy.example')).toBe(true);
    expect(allowed('http://127.0.0.1:4000/cdn/1.jpg', 'http://127.0.0.1:4000')).toBe(true);
    expect(allowed('http://127.0.0.1:5000/cdn/1.jpg', 'http://127.0.0.1:4000')).toBe(true);
    expect(allowed('http://localhost:5000/cdn/1.jpg', 'http://127.0.0.1:4000')).toBe(true);
    expect(allowed('http://10.0.0.5/cdn/1.jpg', 'http://127.0.0.1:4000')).toBe(false);
  });
});
