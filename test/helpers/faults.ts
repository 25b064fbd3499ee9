import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeInstagram } from 'fake-instagram';

type Responder = (res: ServerResponse, req: IncomingMessage) => void;

/** Answers the next `times` API requests (optionally only those whose path matches) with `respond`. */
export function failApi(fake: FakeInstagram, times: number, respond: Responder, pathPattern?: RegExp): () => void {
  let left = times;
  return fake.intercept((req, res, info) => {
    if (info.kind !== 'api' || left <= 0 || (pathPattern && !pathPattern.test(info.path))) return false;
    left--;
    respond(res, req);
    return true;
  });
}

/** Answers the next `times` CDN requests for one media id's image with `respond`. */
export function failImage(fake: FakeInstagram, mediaId: string, times: number, respond: Responder): () => void {
  let left = times;
  return fake.intercept((req, res, info) => {
    if (info.kind !== 'cdn' || left <= 0 || !info.path.includes(`/${mediaId}_n.jpg`)) return false;
    left--;
    respond(res, req);
    return true;
  });
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Responder =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

export const text =
  (status: number, body: string): Responder =>
  (res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  };

/** Claims a full JPEG but sends only half of it. */
export const truncatedJpeg =
  (bytes: Buffer): Responder =>
  (res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(bytes.length) });
    res.end(bytes.subarray(0, Math.floor(bytes.length / 2)));
    res.socket?.destroy();
  };

/** Sends the headers and some bytes, then cuts the connection. */
export const cutConnection =
  (bytes: Buffer): Responder =>
  (res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, 1000), () => res.socket?.destroy());
  };

export const serveJpeg =
  (bytes: Buffer): Responder =>
  (res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(bytes.length) });
    res.end(bytes);
  };

export const redirectTo =
  (location: string): Responder =>
  (res) => {
    res.writeHead(302, { location });
    res.end();
  };

/** From now on, every token refresh is refused with an answer the loader does not recognise (code 10). */
export function refuseTokenRefresh(fake: FakeInstagram): () => void {
  const refuse = json(400, {
    error: { message: '(#10) Application does not have permission for this action', type: 'OAuthException', code: 10 },
  });
  return fake.intercept((req, res, info) => {
    if (info.route !== 'refresh-token') return false;
    refuse(res, req);
    return true;
  });
}
