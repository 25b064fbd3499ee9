import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './http.js';

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
    [extra: string]: unknown;
  };
}

export function fbtraceId(): string {
  return randomBytes(17).toString('base64url').slice(0, 23);
}

/**
 * The real Graph error body: {"error":{message,type,code,error_subcode?,fbtrace_id}}.
 * `type` is GraphMethodException for subcode 33, OAuthException otherwise; `extra` may override
 * or add keys (type, is_transient, error_user_title, error_user_msg, …).
 */
export function graphError(code: number, message: string, subcode?: number, extra?: Partial<GraphErrorBody['error']>): GraphErrorBody {
  const error: GraphErrorBody['error'] = {
    message,
    type: subcode === 33 ? 'GraphMethodException' : 'OAuthException',
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    fbtrace_id: fbtraceId(),
  };
  return { error: { ...error, ...extra } };
}

/** Sends a Graph error with HTTP 400 (the real API's usual status) unless told otherwise. */
export function sendGraphError(res: ServerResponse, body: GraphErrorBody, status = 400, headers: Record<string, string> = {}): void {
  sendJson(res, body, status, {
    'WWW-Authenticate': `OAuth "Facebook Platform" "${errorName(body)}" "${body.error.message.replace(/"/g, "'").replace(/[^\x20-\x7e]/g, '')}"`,
    ...headers,
  });
}

function errorName(body: GraphErrorBody): string {
  return body.error.code === 190 ? 'invalid_token' : 'invalid_request';
}

/** Ready-made bodies for the scenarios the loader must handle (see notes §1.4). */
export const graphErrors = {
  invalidToken: () => graphError(190, 'Invalid OAuth access token - Cannot parse access token'),
  expiredToken: (expiredAt = 'Friday, 26-Jun-26 15:48:19 PDT', nowText = 'Saturday, 27-Jun-26 09:00:00 PDT') =>
    graphError(190, `Error validating access token: Session has expired on ${expiredAt}. The current time is ${nowText}.`, 463),
  passwordChanged: () =>
    graphError(
      190,
      'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      460,
    ),
  nonexistingField: (field: string, nodeType: string) =>
    graphError(100, `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`),
  unsupportedGet: (id: string) =>
    graphError(
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    ),
  unknownPath: (path: string) => graphError(2500, `Unknown path components: ${path}`),
  rateLimit: (code: 4 | 17 | 80002) =>
    code === 4 ? graphErrors.appRateLimit() : code === 17 ? graphErrors.userRateLimit() : graphErrors.bucRateLimit(),
  appRateLimit: () => graphError(4, '(#4) Application request limit reached', undefined, { is_transient: true }),
  userRateLimit: () => graphError(17, '(#17) User request limit reached', undefined, { is_transient: true }),
  bucRateLimit: () =>
    graphError(
      80002,
      '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
      undefined,
      { is_transient: true },
    ),
  unknown: () => graphError(1, 'An unknown error occurred', undefined, { is_transient: true }),
  /** Graph's "answer too big" (sent with HTTP 500). Some captures carry the words only in error_user_msg, under subcode 99. */
  reduceData: (wording: 'message' | 'error_user_msg' = 'message') =>
    wording === 'message'
      ? graphError(1, "Please reduce the amount of data you're asking for, then retry your request")
      : graphError(1, 'An unknown error occurred', 99, {
          error_user_msg: "Please reduce the amount of data you're asking for, then retry your request",
        }),
  /** A field (or call) behind a permission the app lacks; real messages often do not name the field. */
  noPermission: () => graphError(10, '(#10) Application does not have permission for this action'),
  unsupportedField: (field: string) => graphError(100, `(#100) ${field} is unsupported`),
  /** Instagram's own error table (IG Error Codes): -1 / 2207001 and -2 / 2207003, as IGApiException. */
  instagramServerError: () => graphError(-1, 'Instagram server error. Try again.', 2207001, { type: 'IGApiException' }),
  instagramTooLong: () => graphError(-2, 'It takes too long to download the media.', 2207003, { type: 'IGApiException' }),
  /** graph.instagram.com answers a wrong method this way (observed as IGApiException code 100). */
  unsupportedMethod: (method: string) =>
    graphError(100, `Unsupported request - method type: ${method}`, undefined, { type: 'IGApiException' }),
  service: () => graphError(2, 'An unexpected error has occurred. Please retry your request later.', undefined, { is_transient: true }),
};

/** `X-Business-Use-Case-Usage` header value for the account (percentages; minutes to regain access). */
export function businessUseCaseUsage(userId: string, percent: number, minutesToRegain = 0): string {
  return JSON.stringify({
    [userId]: [
      {
        type: 'instagram',
        call_count: percent,
        total_cputime: Math.min(percent, 100),
        total_time: Math.min(percent, 100),
        estimated_time_to_regain_access: minutesToRegain,
      },
    ],
  });
}
