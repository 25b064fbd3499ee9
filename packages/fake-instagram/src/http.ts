import type { ServerResponse } from 'node:http';

/** JSON the way Graph writes it: non-ASCII as \uXXXX and "/" escaped as "\/". */
export function graphJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export function sendJson(res: ServerResponse, value: unknown, status = 200, headers: Record<string, string> = {}): void {
  const body = Buffer.from(graphJson(value));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': body.length,
    'Cache-Control': 'private, no-cache, no-store, must-revalidate',
    'x-fb-trace-id': Math.random().toString(36).slice(2, 13),
    ...headers,
  });
  res.end(body);
}

/** JSON text written as is, for answers JSON.stringify cannot produce (numbers beyond 2^53). */
export function sendRawJson(res: ServerResponse, text: string, status = 200): void {
  const body = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': body.length });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
}
