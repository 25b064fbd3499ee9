import type { InstagramPost } from 'instagram-graph';

export type PostKindLabel = 'Reel' | 'Video' | 'Album' | 'Photo';

/** What to call a post in text a person reads: "Reel", "Video", "Album" (a carousel) or "Photo". */
export function postKindLabel(post: Pick<InstagramPost, 'type' | 'isReel'>): PostKindLabel {
  if (post.isReel) return 'Reel';
  if (post.type === 'video') return 'Video';
  return post.type === 'carousel' ? 'Album' : 'Photo';
}
