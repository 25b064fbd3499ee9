/** Which login the token comes from: Instagram Login (graph.instagram.com) or Facebook Login (graph.facebook.com). */
export type InstagramApiHost = 'instagram' | 'facebook';
