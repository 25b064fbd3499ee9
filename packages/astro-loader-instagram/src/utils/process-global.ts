/**
 * One value per process, shared by every copy of our modules: the loaders run inside Vite's module
 * graph and the integration in Astro's own, so a module-level variable would exist twice. The value
 * lives on `globalThis` under a registered symbol (`Symbol.for(key)`), made by `create` on first use.
 */
export function processGlobal<T>(key: string, create: () => T): T {
  const symbol = Symbol.for(key);
  const holder = globalThis as { [symbol]?: T };
  holder[symbol] ??= create();
  return holder[symbol] as T;
}
