import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AstroConfig, AstroIntegrationLogger } from 'astro';
import type { DataStore, Loader, LoaderContext, MetaStore } from 'astro/loaders';
import type { z } from 'astro/zod';

/**
 * An in-process stand-in for what Astro hands a loader (modelled on Astro's own
 * `test/units/content-layer/test-helpers.ts`): a store and meta store with Astro's semantics, a logger
 * that keeps every line by level, `parseData` through the loader's own schema, `generateDigest`, and a
 * config whose root and cacheDir are a fresh temp folder. Store and meta survive between `load()`s,
 * as Astro's data store does between builds, so a test can run "build after build" in milliseconds.
 */

/** Astro's marker for image fields (astro/dist/content/consts.js); the store strips it and records the file. */
const IMAGE_IMPORT_PREFIX = '__ASTRO_IMAGE_';

type Entry = ReturnType<DataStore['entries']>[number][1];

/** Astro's scoped data store (astro/dist/content/mutable-data-store.js `scopedStore`), in memory. */
export class MemoryDataStore implements DataStore {
  readonly #entries = new Map<string, Entry>();
  /** Files registered by `addModuleImport`. */
  readonly moduleImports: string[] = [];

  get = <TData extends Record<string, unknown> = Record<string, unknown>>(key: string) =>
    this.#entries.get(key) as (Entry & { data: TData }) | undefined;
  entries = () => [...this.#entries.entries()];
  values = () => [...this.#entries.values()];
  keys = () => [...this.#entries.keys()];
  has = (key: string) => this.#entries.has(key);
  delete = (key: string) => void this.#entries.delete(key);
  clear = () => this.#entries.clear();
  addModuleImport = (fileName: string) => void this.moduleImports.push(fileName);

  /** As Astro: an unchanged digest is a no-op returning false; image markers become plain paths in `assetImports`. */
  set = <TData extends Record<string, unknown>>(entry: Parameters<DataStore['set']>[0] & { data: TData }): boolean => {
    if (!entry.id) throw new Error('ID must be a non-empty string');
    const id = String(entry.id);
    if (entry.digest && this.#entries.get(id)?.digest === entry.digest) return false;
    if (entry.filePath?.startsWith('/')) throw new Error(`File path must be relative to the site root. Got: ${entry.filePath}`);
    const assets = new Set(entry.assetImports);
    const data = stripImageMarkers(entry.data, assets) as TData;
    this.#entries.set(id, { ...entry, id, data, ...(assets.size ? { assetImports: [...assets] } : {}) });
    return true;
  };
}

function stripImageMarkers(value: unknown, found: Set<string>): unknown {
  if (typeof value === 'string' && value.startsWith(IMAGE_IMPORT_PREFIX)) {
    const file = value.slice(IMAGE_IMPORT_PREFIX.length);
    found.add(file);
    return file;
  }
  if (Array.isArray(value)) return value.map((item) => stripImageMarkers(item, found));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stripImageMarkers(item, found)]));
  }
  return value;
}

/** Astro's per-collection meta store: strings only. */
export class MemoryMetaStore implements MetaStore {
  readonly #values = new Map<string, string>();
  get = (key: string) => this.#values.get(key);
  set = (key: string, value: string) => void this.#values.set(key, String(value));
  has = (key: string) => this.#values.has(key);
  delete = (key: string) => void this.#values.delete(key);
  /** Everything in it, for leak scans. */
  dump = () => Object.fromEntries(this.#values);
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogLine {
  level: LogLevel;
  label: string;
  message: string;
}

/** The integration logger's public methods; every line is kept instead of printed. */
export class RecordingLogger implements Pick<AstroIntegrationLogger, 'label' | 'fork' | LogLevel | 'flush' | 'close'> {
  constructor(
    readonly label: string,
    readonly lines: LogLine[] = [],
  ) {}
  fork = (label: string) => new RecordingLogger(label, this.lines) as unknown as AstroIntegrationLogger;
  debug = (message: string) => void this.lines.push({ level: 'debug', label: this.label, message });
  info = (message: string) => void this.lines.push({ level: 'info', label: this.label, message });
  warn = (message: string) => void this.lines.push({ level: 'warn', label: this.label, message });
  error = (message: string) => void this.lines.push({ level: 'error', label: this.label, message });
  flush = () => undefined;
  close = () => undefined;
  /** Messages at one level (or all), in order. */
  messages = (level?: LogLevel) => this.lines.filter((line) => !level || line.level === level).map((line) => line.message);
  /** All lines as one text, like a build log. */
  text = () => this.lines.map((line) => `[${line.level}] ${line.message}`).join('\n');
}

export interface LoaderHarness {
  context: LoaderContext;
  store: MemoryDataStore;
  meta: MemoryMetaStore;
  /** Lines of the latest `load()` only (each load starts a fresh log, like each build). */
  logger: RecordingLogger;
  /** Site root and cacheDir (`<root>/cache/`), both under a fresh temp folder. */
  root: string;
  cacheDir: string;
  /**
   * Runs the loader once, as one build does, against the same store and meta as before. `next`: the
   * collection's loader after a config change (a new token, `onError`...) for this and later loads.
   */
  load(next?: Loader): Promise<void>;
  /** Removes the temp folder. */
  cleanup(): Promise<void>;
}

/** A harness for one collection served by `loader`; the store and meta persist across `load()`s. */
export async function createLoaderHarness(loader: Loader, options: { collection?: string } = {}): Promise<LoaderHarness> {
  const collection = options.collection ?? 'instagram';
  const root = await mkdtemp(path.join(tmpdir(), 'ig-loader-'));
  const cacheDir = path.join(root, 'cache');
  const store = new MemoryDataStore();
  const meta = new MemoryMetaStore();
  let current = loader;
  const schema = () => ('schema' in current ? (current.schema as z.ZodType | undefined) : undefined);
  // Only what loaders read; the rest of AstroConfig has no bearing on them.
  const config = {
    root: pathToFileURL(`${root}/`),
    cacheDir: pathToFileURL(`${cacheDir}/`),
    base: '/',
    vite: {},
  } as unknown as AstroConfig;

  const harness: LoaderHarness = {
    store,
    meta,
    root,
    cacheDir,
    logger: new RecordingLogger(collection),
    context: undefined as unknown as LoaderContext,
    async load(next) {
      if (next) current = next;
      harness.logger = new RecordingLogger(collection);
      harness.context = contextFor(harness.logger);
      await current.load(harness.context);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };

  function contextFor(logger: RecordingLogger): LoaderContext {
    return {
      collection,
      store,
      meta,
      logger: logger as unknown as AstroIntegrationLogger,
      config,
      // As Astro: the loader's schema validates and transforms; a mismatch fails with the entry named.
      parseData: async ({ id, data }) => {
        const parser = schema();
        if (!parser) return data;
        const parsed = await parser.safeParseAsync(data);
        if (!parsed.success) throw new Error(`${collection} → ${id} data does not match the collection schema: ${parsed.error.message}`);
        return parsed.data as typeof data;
      },
      // Astro uses xxhash64; any stable hash of the same JSON has the same semantics.
      generateDigest: (data) =>
        createHash('sha256')
          .update(typeof data === 'string' ? data : JSON.stringify(data))
          .digest('hex')
          .slice(0, 16),
      renderMarkdown: async () => {
        throw new Error('renderMarkdown is not part of the loader harness');
      },
    };
  }
  harness.context = contextFor(harness.logger);
  return harness;
}
