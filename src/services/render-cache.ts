/**
 * Hits, misses and kept answers of every render cache of this process together, read by /metrics
 * (src/http/metrics.ts). Plain numbers: counting costs nothing on the hot path.
 */
export const renderCacheStats = { hits: 0, misses: 0, entries: 0 };

/**
 * Rendered answers of this process: key → the tenant data version it was rendered at, and the JSON text. The version
 * (tenants.data_version) is bumped by every write that changes OKR reads (store/tenant-write.ts), and each read
 * checks it in the database, so a write through any okrd process is seen at once; only the rendering is reused.
 * At most `maxEntries` answers are kept (oldest out first), whatever keys clients make.
 */
export class RenderCache {
  private readonly entries = new Map<string, { version: number; json: string }>();

  constructor(private readonly maxEntries: number) {}

  /** The JSON rendered under `key` at `version`, if this process has it. */
  get(key: string, version: number): string | undefined {
    const entry = this.entries.get(key);
    if (entry?.version === version) {
      renderCacheStats.hits++;
      return entry.json;
    }
    renderCacheStats.misses++;
    return undefined;
  }

  /** Keeps `json` as the rendering of `key` at `version`. */
  set(key: string, version: number, json: string): void {
    if (this.maxEntries === 0) return;
    // Oldest first out: Map iterates in insertion order.
    if (!this.entries.has(key)) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      else renderCacheStats.entries++;
    }
    this.entries.set(key, { version, json });
  }
}
