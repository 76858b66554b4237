/**
 * PostgreSQL's bulk path: rows streamed into a table by `COPY … FROM STDIN` (text format), for the tenant generator
 * (store/bulk-load.repository.ts). COPY skips the per-statement work of INSERT (parsing, planning, a JSON document to
 * spread) and the rows are encoded a chunk at a time while the server is already storing the previous chunk, so
 * Node and PostgreSQL work in parallel on a two-core machine.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Param } from './db.js';

/** Rows per chunk handed to the socket: about a megabyte of text, so encoding and storing overlap. */
const CHUNK_ROWS = 2_000;

// COPY text format: backslash, tab, newline and carriage return are escaped; `\N` is NULL.
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function field(value: Param): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Most values hold nothing to escape: testing first is much cheaper than a replace that finds nothing.
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

function* chunks(rows: readonly (readonly Param[])[]): Generator<string> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    let text = '';
    for (const row of rows.slice(i, i + CHUNK_ROWS)) text += row.map(field).join('\t') + '\n';
    yield text;
  }
}

/** Loads `rows` (values in `columns` order) into `table` on `client`, inside its transaction; resolves to the count. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Param[])[],
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(rows)), stream);
  return stream.rowCount;
}
