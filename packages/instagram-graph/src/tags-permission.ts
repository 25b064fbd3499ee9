import { InstagramApiError, InstagramError } from './errors.js';
import type { InstagramApiHost } from './host.js';

/**
 * The permission `GET /{ig-user-id}/tags` needs beyond reading the account, per login (Meta's
 * Mentions guide for Instagram Login; the IG User Tags reference for Facebook Login).
 */
export const TAGS_PERMISSION: Record<InstagramApiHost, string> = {
  instagram: 'instagram_business_manage_comments',
  facebook: 'instagram_manage_comments',
};

const FIXES: Record<InstagramApiHost, string> = {
  instagram: `Log in again granting ${TAGS_PERMISSION.instagram} (npx astro-loader-instagram login --tagged, or add the permission in Meta App Dashboard > Instagram > API setup with Instagram login and generate a new token), then set INSTAGRAM_TOKEN.`,
  facebook: `Grant ${TAGS_PERMISSION.facebook} (with instagram_basic, pages_read_engagement and pages_show_list) to the app, generate a new Page access token (npx astro-loader-instagram facebook-token) and set INSTAGRAM_TOKEN.`,
};

/**
 * A permission refusal of the tags edge, said as what it is: the token was made without the
 * comments permission (the account's own posts still load with it). Other errors pass unchanged.
 */
export function tagsPermissionError(error: unknown, host: InstagramApiHost): unknown {
  if (!(error instanceof InstagramApiError) || error.kind !== 'permission') return error;
  return new InstagramError(
    'permission',
    `${error.what.replace(/\.$/, '')}: reading tagged posts needs the ${TAGS_PERMISSION[host]} permission, which this token was not granted`,
    FIXES[host],
    { cause: error },
  );
}
