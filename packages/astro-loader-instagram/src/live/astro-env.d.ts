// astro:env/server is a virtual module of Astro's Vite build; these are the types Astro declares for it
// (astro/types/env.d.ts), without pulling every astro:* module into our build.
declare module 'astro:env/server' {
  export const getSecret: (key: string) => string | undefined;
}
