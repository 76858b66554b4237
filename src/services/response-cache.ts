/**
 * Whole answers of this process as the UTF-8 bytes sent on the wire: key → the tenant data version they were made at,
 * and the bytes. A repeated read then costs one lookup of the tenant's data version in the database and no
 * rendering, joining or encoding at all (encoding a 60 KiB answer with Chinese text to UTF-8 alone took longer than
 * the database work). The version (tenants.data_version) is bumped by every write that changes OKR reads, so an
 * answer made at the current version is still the right one: same OKRs, same visibility, same text.
 *
 * Bounded twice, whatever keys clients make: at most `maxEntries` answers and `maxBytes` bytes (oldest out first).
 */
import { renderCacheStats } from './render-cache.js';

export class ResponseCache {
  private readonly entries = new Map<string, { version: number; bytes: Buffer }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** The answer kept under `key` at `version`, if this process has it. */
  get(key: string, version: number): Buffer | undefined {
    const entry = this.entries.get(key);
    if (entry?.version !== version) return undefined;
    renderCacheStats.hits++;
    return entry.bytes;
  }

  /** Keeps `bytes` as the answer of `key` at `version` (an answer larger than a tenth of the budget is not kept). */
  set(key: string, version: number, bytes: Buffer): void {
    if (this.maxEntries === 0 || bytes.length > this.maxBytes / 10) return;
    this.delete(key);
    while (this.entries.size >= this.maxEntries || this.bytes + bytes.length > this.maxBytes) {
      this.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { version, bytes });
    this.bytes += bytes.length;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes.length;
  }
}
