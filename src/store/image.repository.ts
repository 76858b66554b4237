/** Uploaded images' metadata and the server secrets that sign their URLs. */
import { inList, type Tx } from './db.js';

/** A row of `images`. */
export interface ImageRow {
  file_token: string;
  tenant_id: string;
  target_type: number;
  target_id: string;
  content_type: string;
  size: number;
  created_by: string | null;
  created_at: number;
}

export async function findImage(tx: Tx, fileToken: string): Promise<ImageRow | undefined> {
  return tx.get('SELECT * FROM images WHERE file_token = ?', [fileToken]);
}

/** Which of `tokens` (any tenant's) have a row. */
export async function imageTokensAmong(tx: Tx, tokens: readonly string[]): Promise<Set<string>> {
  if (tokens.length === 0) return new Set();
  const rows = await tx.all<{ file_token: string }>(
    `SELECT file_token FROM images WHERE file_token IN (${inList(tokens.length)})`,
    tokens,
  );
  return new Set(rows.map((r) => r.file_token));
}

/** The secret called `name`, created with `value` if no process has created it yet. */
export async function secretNamed(tx: Tx, name: string, value: string, now: number): Promise<string> {
  await tx.run('INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
    name,
    value,
    now,
  ]);
  const row = await tx.get<{ value: string }>('SELECT value FROM server_secrets WHERE name = ?', [name]);
  return row!.value;
}
