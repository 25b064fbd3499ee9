import type { InstagramClient, RawMedia } from 'instagram-graph';

/**
 * The client the tagged loader downloads with. Tagged posts belong to other accounts, so `GET /{media-id}`
 * is not ours to ask for a freshly signed URL: an expired one (its `oe`, or a 403) is signed again by
 * reading the tags list once more (once per build), which signs every URL it holds, children included.
 */
export function resigningFromTags(client: InstagramClient): InstagramClient {
  let fresh: Promise<Map<string, RawMedia>> | undefined;
  const relist = async () => {
    const byId = new Map<string, RawMedia>();
    for (const media of await client.listTagged()) {
      byId.set(media.id, media);
      for (const child of media.children?.data ?? []) byId.set(child.id, child);
    }
    return byId;
  };
  return Object.assign(Object.create(client) as InstagramClient, {
    getMedia: async (id: string) => {
      fresh ??= relist();
      const media = (await fresh).get(id);
      if (!media) throw new Error(`tagged post ${id} is no longer among the posts tagging the account`);
      return media;
    },
  });
}
