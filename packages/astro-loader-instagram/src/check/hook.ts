import { urlOrigin } from '../utils/secret-url.js';
import { CheckError, networkReason } from './check-error.js';

const TIMEOUT_MS = 15_000;

/**
 * A build hook URL as it may be printed: its origin only. Netlify and Vercel hook URLs carry their
 * secret in the path (`/build_hooks/<id>`, `/v1/integrations/deploy/<project>/<key>`).
 */
export function describeHook(url: string): string {
  return urlOrigin(url, 'the build hook');
}

/** POSTs the build hook once (no retry: a second POST could start a second build). Returns the HTTP status. */
export async function callHook(url: string, fetchImpl: typeof fetch = fetch): Promise<number> {
  const where = describeHook(url);
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new CheckError(
      'hook',
      `The build hook ${where} could not be called (${networkReason(error)})`,
      'Check the --hook URL; the next check tries again.',
    );
  }
  await response.body?.cancel().catch(() => {});
  if (!response.ok) {
    throw new CheckError(
      'hook',
      `The build hook ${where} answered HTTP ${response.status}`,
      'Check the --hook URL (copy it again from your host); the next check tries again.',
    );
  }
  return response.status;
}
