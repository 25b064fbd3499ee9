import {
  debugToken,
  exchangeFacebookToken,
  FACEBOOK_API_URL,
  type FacebookPage,
  InstagramError,
  listFacebookPages,
  redact,
} from 'instagram-graph';
import { apiUrl, HELP_LINES, parseCommand, TOKEN_ENV_OPTION, tokenVariable } from './args.js';
import { CliError } from './cli-error.js';
import { type CliIo, out, say } from './io.js';
import { LineReader, promptSecret } from './prompt.js';

export const FACEBOOK_TOKEN_HELP = `Usage: npx astro-loader-instagram facebook-token [--page <name or id>] [options]

For Facebook Login (host: 'facebook'): turns a short-lived Facebook User token into a Page token
that never expires, and prints it with the Instagram account id (userId) the loader needs.
1. swaps the User token for a long-lived one (GET /oauth/access_token, grant_type=fb_exchange_token),
2. lists your Facebook Pages and their linked Instagram accounts (GET /me/accounts),
3. prints the chosen Page's token as INSTAGRAM_TOKEN=... (a Page token fetched with a long-lived
   User token does not expire) and its Instagram account id.

Get the User token from Graph API Explorer (developers.facebook.com/tools/explorer: your app,
permissions pages_show_list, instagram_basic, pages_read_engagement, then Generate Access Token).
It is read from stdin or asked for (never a flag: flags end up in your shell history).

  --page <name or id>   The Page to use when several have a linked Instagram account
  --client-id <id>      The Facebook app id (Meta App Dashboard > App settings > Basic), or
                        INSTAGRAM_APP_ID. The app secret comes from INSTAGRAM_APP_SECRET or is
                        asked for first (before the User token when both are piped).
  --token-env <name>    Read the User token from this variable instead of asking
${HELP_LINES.apiUrl('https://graph.facebook.com')}`;

export async function facebookToken(args: string[], io: CliIo): Promise<number> {
  const values = parseCommand('facebook-token', args, { ...TOKEN_ENV_OPTION, page: { type: 'string' }, 'client-id': { type: 'string' } });
  if (values.help) {
    out(io, FACEBOOK_TOKEN_HELP);
    return 0;
  }
  const appId = values['client-id']?.trim() || io.env.INSTAGRAM_APP_ID?.trim();
  if (!appId) {
    throw new CliError(
      'No app id',
      'pass --client-id or set INSTAGRAM_APP_ID to the Facebook app id (Meta App Dashboard > App settings > Basic).',
      2,
    );
  }
  const graphUrl = apiUrl(io, values['api-url']) ?? FACEBOOK_API_URL;
  const lines = new LineReader(io);
  const secrets: string[] = [];
  try {
    const appSecret = io.env.INSTAGRAM_APP_SECRET?.trim() || (await promptSecret(io, 'Facebook app secret (not shown): ', lines));
    if (!appSecret)
      throw new CliError('No app secret', 'set INSTAGRAM_APP_SECRET or type it when asked (Meta App Dashboard > App settings > Basic).', 2);
    secrets.push(appSecret, `${appId}|${appSecret}`);
    const userToken = values['token-env']
      ? io.env[tokenVariable(values['token-env'])]?.trim()
      : await promptSecret(io, 'Short-lived Facebook User token from Graph API Explorer (not shown): ', lines);
    if (!userToken) {
      throw new CliError(
        `No User token: ${values['token-env'] ? `${values['token-env']} is empty` : 'nothing was typed'}`,
        'Copy one from Graph API Explorer (Generate Access Token) and run again.',
        2,
      );
    }
    secrets.push(userToken);
    const app = { appId, appSecret };
    const request = { apiUrl: graphUrl, now: io.now };

    const long = await exchangeFacebookToken(userToken, app, request);
    secrets.push(long.accessToken);
    const pages = await listFacebookPages(long.accessToken, request);
    for (const page of pages) if (page.accessToken) secrets.push(page.accessToken);
    const page = choosePage(pages, values.page?.trim());
    if (!page.accessToken) {
      throw new CliError(
        `Facebook gave no Page token for ${label(page)}: you need a task (e.g. MANAGE) on the Page`,
        'Ask a Page admin, then run again.',
      );
    }
    const instagram = page.instagram!;

    // Confirm what the token is; a failure here does not void it.
    let lifetime = 'It does not expire as long as you keep your role on the Page and do not change your Facebook password.';
    try {
      const info = await debugToken(page.accessToken, app, { ...request, retries: 0 });
      if (info.expiresAt !== null) lifetime = `Careful: Facebook says it expires on ${info.expiresAt.toISOString().slice(0, 10)}.`;
    } catch {
      // The Page token came from a long-lived User token, which Meta documents as never expiring.
    }

    out(io, `INSTAGRAM_TOKEN=${page.accessToken}`);
    say(io);
    say(io, `Page ${label(page)} → Instagram ${instagram.username ? `@${instagram.username} ` : ''}(userId ${instagram.id}). ${lifetime}`);
    say(
      io,
      `Put the INSTAGRAM_TOKEN line above in .env and in your host's environment variables, and configure the loader with host: 'facebook' and userId: '${instagram.id}', e.g. instagramLoader({ host: 'facebook', userId: '${instagram.id}' }).`,
    );
    return 0;
  } catch (error) {
    const clean = (text: string) => redact(text, secrets);
    if (error instanceof CliError) throw new CliError(clean(error.what), clean(error.fix), error.exitCode);
    if (error instanceof InstagramError) throw CliError.from(error, clean);
    throw error;
  } finally {
    lines.close();
  }
}

/** The Page to use: the one `--page` names (by id or name), else the only one with a linked Instagram account. */
function choosePage(pages: FacebookPage[], wanted: string | undefined): FacebookPage {
  const linked = pages.filter((page) => page.instagram);
  if (wanted) {
    const page =
      pages.find((candidate) => candidate.id === wanted) ??
      pages.find((candidate) => candidate.name.toLowerCase() === wanted.toLowerCase());
    if (!page) {
      throw new CliError(
        `No Page "${wanted.slice(0, 80)}" among yours (${pages.map(label).join(', ') || 'none'})`,
        'Pass --page with one of these names or ids.',
        2,
      );
    }
    if (!page.instagram) {
      throw new CliError(
        `Page ${label(page)} has no linked Instagram professional account`,
        `Link one (Meta Business Suite > Settings > Instagram accounts), or choose ${linked.length ? `one of ${linked.map(label).join(', ')}` : 'another Page'}.`,
      );
    }
    return page;
  }
  if (linked.length === 0) {
    const which = pages.length
      ? `None of your Facebook Pages (${pages.map(label).join(', ')}) has`
      : 'Facebook lists no Page you have a task on, so none has';
    throw new CliError(
      `${which} a linked Instagram professional account`,
      'Link the Instagram account to a Page (Meta Business Suite > Settings > Instagram accounts) and make sure the User token has pages_show_list, then run again.',
    );
  }
  if (linked.length > 1) {
    throw new CliError(
      `Several Pages have a linked Instagram account: ${linked.map((page) => `${label(page)} (@${page.instagram!.username ?? page.instagram!.id})`).join(', ')}`,
      'Choose one with --page <name or id>.',
      2,
    );
  }
  return linked[0]!;
}

/** `"Demo Studio" (id 109876543210987)` */
function label(page: FacebookPage): string {
  return `"${page.name}" (id ${page.id})`;
}
