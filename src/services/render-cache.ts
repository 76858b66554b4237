/**
 * The one cache of rendered answers of this process (v1 OKR renderings and batch_get answers, v2 list pages): key →
 * the tenant data version it was rendered at, and the rendering (JSON text, or the UTF-8 bytes of a whole answer).
 * The version (tenants.data_version) is bumped by every write that changes OKR reads (store/tenant-write.ts), and each
 * read checks it in the database, so a write through any okrd process is seen at once; only the rendering is reused.
 *
 * Bounded twice, whatever keys clients make and whatever their data holds: at most `maxEntries` renderings and
 * `maxBytes` bytes of them (oldest out first); a rendering larger than a tenth of the byte budget is not kept, so one
 * huge answer cannot empty the cache for everyone else.
 */

/**
 * Hits, misses and kept renderings of every render cache of this process together, read by /metrics
 * (src/http/metrics.ts). Plain numbers: counting costs nothing on the hot path.
 */
export const renderCacheStats = { hits: 0, misses: 0, entries: 0 };

/** What a cache keeps: JSON text, or the bytes of a whole answer as sent. */
export type Rendering = string | Buffer;

// Memory an entry holds besides its key and rendering (the Map slot and the entry object), counted so that a flood of
// tiny renderings is bounded by bytes too.
const ENTRY_OVERHEAD_BYTES = 80;
// V8 keeps a string one byte per character when every character is Latin-1, else two.
const NOT_LATIN1 = /[\u0100-\uffff]/;

/** The bytes `text` takes in memory. */
function stringBytes(text: string): number {
  return NOT_LATIN1.test(text) ? text.length * 2 : text.length;
}

/** The bytes an entry of `key` holding `value` takes, as counted against the budget. */
export function entryBytes(key: string, value: Rendering): number {
  const valueBytes = typeof value === 'string' ? stringBytes(value) : value.length;
  return ENTRY_OVERHEAD_BYTES + stringBytes(key) + valueBytes;
}

/** A bounded cache of renderings of type `V`, each valid for one tenant data version. */
export class RenderCache<V extends Rendering = string> {
  private readonly entries = new Map<string, { version: number; value: V; bytes: number }>();
  private heldBytes = 0;

  /** At most `maxEntries` renderings (0: keep none) and `maxBytes` bytes of them. */
  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  /** Renderings kept now. */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes kept now (see entryBytes). */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * The rendering kept under the first of `keys` that has one at `version` (several keys: an answer some callers
   * share and one kept for this caller alone); one hit or one miss is counted.
   */
  get(keys: string | readonly string[], version: number): V | undefined {
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      const entry = this.entries.get(key);
      if (entry?.version === version) {
        renderCacheStats.hits++;
        return entry.value;
      }
    }
    renderCacheStats.misses++;
    return undefined;
  }

  /** Keeps `value` as the rendering of `key` at `version`, putting out the oldest renderings to make room. */
  set(key: string, version: number, value: V): void {
    const bytes = entryBytes(key, value);
    this.delete(key);
    if (this.maxEntries === 0 || bytes > this.maxBytes / 10) return;
    // Oldest first out: Map iterates in insertion order.
    while (this.entries.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes) {
      this.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { version, value, bytes });
    this.heldBytes += bytes;
    renderCacheStats.entries++;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.heldBytes -= entry.bytes;
    renderCacheStats.entries--;
  }
}

/** The whole success answer around `data` (its JSON text), as the UTF-8 bytes to send and keep. */
export function successAnswer(data: string): Buffer {
  return Buffer.from(`{"code":0,"msg":"success","data":${data}}`);
}
