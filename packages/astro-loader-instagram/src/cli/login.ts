import { randomBytes } from 'node:crypto';
import {
  buildAuthorizeUrl,
  createInstagramClient,
  DEFAULT_SCOPES,
  exchangeCodeForToken,
  exchangeForLongLivedToken,
  InstagramError,
  parseAuthorizationRedirect,
  TAGS_PERMISSION,
} from 'instagram-graph';
import { inDays } from '../token/advice.js';
import { applyNewToken, day, hashToken, type TokenRecord } from '../token/records.js';
import { displayPath, TokenStoreError, updateStore } from '../token/store.js';
import { apiUrl, HELP_LINES, parseCommand, STORE_OPTION, storePath } from './args.js';
import { isLocalRedirect, startCallbackServer } from './callback-server.js';
import { CliError } from './cli-error.js';
import { type CliIo, out, say } from './io.js';
import { LineReader, promptSecret } from './prompt.js';

export const LOGIN_HELP = `Usage: npx astro-loader-instagram login --client-id <id> --redirect-uri <uri> [options]

Logs in with Business Login for Instagram and prints a long-lived token (60 days):
opens nothing by itself; prints the login URL for you to open, catches Instagram's redirect, swaps
the code for a short-lived token, then for a long-lived one, and records it in the token store.

  --client-id <id>      Instagram app id (Meta App Dashboard > Instagram > API setup with Instagram
                        login), or INSTAGRAM_APP_ID. The app secret comes from INSTAGRAM_APP_SECRET or
                        is asked for; it is never a flag, so it stays out of your shell history.
  --redirect-uri <uri>  One of the app's OAuth redirect URIs, or INSTAGRAM_REDIRECT_URI.
                        http://localhost:PORT/... (or 127.0.0.1) is answered by a local server here;
                        for any other address, paste the address the browser lands on.
  --no-force-reauth     Let Instagram reuse a session the browser already has. By default the
                        dialog asks for the password (force_reauth=true, Meta's advice since
                        2025-06), so a browser logged in to another account cannot hand over the
                        wrong account. The account is printed before the token is recorded.
  --tagged              Also ask for ${TAGS_PERMISSION.instagram}, which instagramTaggedLoader()
                        needs to read the posts others tagged you in. Default: instagram_business_basic only.
  --timeout <seconds>   How long to wait for the browser. Default 600.
${HELP_LINES.store}
${HELP_LINES.apiUrl('https://graph.instagram.com')}
  --oauth-url <url>     Login origin for the dialog and the code exchange, or INSTAGRAM_OAUTH_URL.
                        Default https://www.instagram.com and https://api.instagram.com`;

export async function login(args: string[], io: CliIo): Promise<number> {
  const values = parseCommand('login', args, {
    ...STORE_OPTION,
    'client-id': { type: 'string' },
    'redirect-uri': { type: 'string' },
    'oauth-url': { type: 'string' },
    timeout: { type: 'string' },
    'no-force-reauth': { type: 'boolean' },
    tagged: { type: 'boolean' },
  });
  if (values.help) {
    out(io, LOGIN_HELP);
    return 0;
  }

  const clientId = values['client-id']?.trim() || io.env.INSTAGRAM_APP_ID?.trim();
  if (!clientId) {
    throw new CliError(
      'No app id',
      'pass --client-id or set INSTAGRAM_APP_ID to the Instagram app id (Meta App Dashboard > Instagram > API setup with Instagram login; not the Meta app id).',
      2,
    );
  }
  const redirectInput = values['redirect-uri']?.trim() || io.env.INSTAGRAM_REDIRECT_URI?.trim();
  if (!redirectInput) {
    throw new CliError(
      'No redirect URI',
      'pass --redirect-uri (or set INSTAGRAM_REDIRECT_URI) to one of the OAuth redirect URIs listed in the app (Business login settings).',
      2,
    );
  }
  let redirect: URL;
  try {
    redirect = new URL(redirectInput);
  } catch {
    throw new CliError(
      `--redirect-uri "${redirectInput.slice(0, 80)}" is not an absolute URL`,
      'Pass the full URI as listed in the app, e.g. https://localhost:8787/callback.',
      2,
    );
  }
  const timeoutSeconds = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new CliError('--timeout must be a positive number of seconds', 'Pass e.g. --timeout 600.', 2);
  const oauthUrl = values['oauth-url']?.trim() || io.env.INSTAGRAM_OAUTH_URL?.trim() || undefined;
  const graphUrl = apiUrl(io, values['api-url']);
  const file = storePath(io, values.store);

  const lines = new LineReader(io);
  try {
    const secret = io.env.INSTAGRAM_APP_SECRET?.trim() || (await promptSecret(io, 'Instagram app secret (not shown): ', lines));
    if (!secret)
      throw new CliError(
        'No app secret',
        'set INSTAGRAM_APP_SECRET or type it when asked (Meta App Dashboard > Instagram > API setup with Instagram login).',
        2,
      );

    const state = randomBytes(16).toString('hex');
    const local = isLocalRedirect(redirect);
    const server = local ? await startCallbackServer(redirect, state, timeoutSeconds * 1000) : undefined;
    // Instagram compares redirect_uri character for character: send it as given (unless port 0 was resolved).
    const redirectUri = server && redirect.port === '0' ? server.redirectUri : redirectInput;
    const authorizeUrl = buildAuthorizeUrl({
      clientId,
      redirectUri,
      state,
      forceReauth: !values['no-force-reauth'],
      scopes: values.tagged ? [...DEFAULT_SCOPES, TAGS_PERMISSION.instagram] : DEFAULT_SCOPES,
      ...(oauthUrl ? { authorizeUrl: oauthUrl } : {}),
    });

    say(io, 'Open this address in a browser, log in to Instagram and allow access:');
    say(io);
    say(io, `  ${authorizeUrl}`);
    say(io);
    let code: string;
    try {
      if (server) {
        say(io, `Waiting for Instagram to send the browser back to ${redirectUri} ... (Ctrl+C to stop)`);
        code = await server.code;
      } else {
        say(io, `Instagram then sends the browser to ${redirectUri}?code=... Paste that whole address here and press Enter:`);
        const pasted = await lines.next();
        if (!pasted?.trim()) throw new CliError('Nothing was pasted', 'Start the login again.');
        code = parseAuthorizationRedirect(pasted, state).code;
      }
    } finally {
      server?.close();
    }

    const short = await exchangeCodeForToken({ clientId, clientSecret: secret, redirectUri, code, ...(oauthUrl ? { oauthUrl } : {}) });
    const long = await exchangeForLongLivedToken(short.accessToken, secret, { ...(graphUrl ? { apiUrl: graphUrl } : {}), now: io.now });

    let username: string | undefined;
    let userId = short.userId;
    try {
      const profile = await createInstagramClient({
        token: long.accessToken,
        ...(graphUrl ? { apiUrl: graphUrl } : {}),
        retry: { retries: 1 },
      }).getProfile(['user_id', 'username']);
      username = profile.username;
      userId = profile.user_id ?? userId;
    } catch {
      // The token is good either way; the name is a courtesy.
    }
    // Which account this is, before anything is recorded: the one to check when several are logged in.
    say(io, `Logged in as ${username ? `@${username}` : 'an account Instagram did not name'}${userId ? ` (user_id ${userId})` : ''}.`);

    let recorded = true;
    await updateStore(file, ({ data }) => {
      const hash = hashToken(long.accessToken);
      let record = data.tokens.find((entry) => entry.hash === hash);
      if (!record) {
        record = { hash, previous: [], origin: 'login', firstSeenAt: io.now().toISOString() } satisfies TokenRecord;
        data.tokens.push(record);
      }
      record.origin = 'login';
      applyNewToken(record, long, undefined, 'login');
      record.account = { ...(userId ? { userId } : {}), ...(username ? { username } : {}) };
    }).catch((error: unknown) => {
      // The token is printed below either way: losing it would mean logging in again.
      if (!(error instanceof TokenStoreError)) throw error;
      recorded = false;
      say(io, `Not recorded: ${error.what}; builds will not find the token there, so set INSTAGRAM_TOKEN.`);
    });

    out(io, `INSTAGRAM_TOKEN=${long.accessToken}`);
    say(io);
    say(
      io,
      `The token is valid until ${day(long.expiresAt)} (${inDays(long.expiresAt, io.now())}); builds refresh it once it is 24 hours old.`,
    );
    say(
      io,
      `Put the INSTAGRAM_TOKEN line above in .env and in your host's environment variables.${recorded ? ` Recorded in ${displayPath(file)}.` : ''}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof InstagramError) throw CliError.from(error);
    throw error;
  } finally {
    lines.close();
  }
}
