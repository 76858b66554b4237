/** Progress-record images: upload to disk, signed expiring URLs, and serving the bytes to URL holders. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, opendir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../domain/clock.js';
import { ACCEPTED_IMAGE_FORMATS, imageType } from '../domain/image-type.js';
import { isEntityId } from '../domain/ids.js';
import type { FormPart } from '../domain/multipart.js';
import { OkrdError, invalidParam, notFound } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import { findImage, imageTokensAmong, secretNamed, type ImageRow } from '../store/image.repository.js';
import { existingImageTokens, findTarget, type TargetType } from '../store/progress-record.repository.js';
import { insertRow } from '../store/table.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { MAX_DOCUMENT_IMAGES } from './rich-text.mapper.js';
import { requireWritable } from './visibility.js';

/** Where and how images are kept. */
export interface ImageSettings {
  imageDir: string;
  imageMaxBytes: number;
  imageUrlTtlSeconds: number;
}

/** What a holder of a valid URL gets. */
export interface ImageFile {
  contentType: string;
  bytes: Buffer;
}

/** A file without a row is an upload still committing, or one whose process died: after this long, the latter. */
const ORPHAN_AGE_MS = 60 * 60_000;
/** The image folder is swept this many names at a time (one query each), so its size never matters. */
const SWEEP_BATCH = 500;

/** 1001002 (HTTP 403 on this route) for a URL that was not signed by okrd or has expired. */
const badImageUrl = () => new OkrdError(1001002, 'the image URL is invalid or has expired');

/** The signature of the URL of `fileToken` expiring at `expires`. */
function sign(key: string, fileToken: string, expires: string): string {
  return createHmac('sha256', key).update(`${fileToken}.${expires}`).digest('base64url');
}

/**
 * Fresh URLs for the gallery images of rich text being read: token → a URL signed by `signer`, for the tokens among
 * `tokens` that are images of `tenantId` (a token unknown to the tenant keeps the src it was written with). One query
 * per MAX_DOCUMENT_IMAGES tokens, so a page of documents costs as little as one document.
 */
export async function imageSources(
  tx: Tx,
  tenantId: string,
  tokens: readonly string[],
  signer: (fileToken: string) => string,
): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const distinct = [...new Set(tokens)];
  for (let i = 0; i < distinct.length; i += MAX_DOCUMENT_IMAGES) {
    for (const token of await existingImageTokens(tx, tenantId, distinct.slice(i, i + MAX_DOCUMENT_IMAGES))) {
      sources.set(token, signer(token));
    }
  }
  return sources;
}

/** Handles image uploads and downloads. */
export class ImageService {
  private key: Promise<string> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: ImageSettings,
  ) {}

  /** POST /okr/v1/images/upload: checks the form, stores the image, and returns its token and a signed URL. */
  async upload(
    caller: Caller,
    parts: readonly FormPart[],
    origin: string,
  ): Promise<{ file_token: string; url: string }> {
    const field = (name: string) => parts.find((p) => p.name === name);
    const data = field('data');
    if (!data || data.data.length === 0) throw invalidParam('data: is required (the image file)');
    const targetId = field('target_id')?.data.toString('utf8').trim() ?? '';
    if (!isEntityId(targetId)) throw invalidParam('target_id: must be an objective or key result id');
    const targetType = Number(field('target_type')?.data.toString('utf8').trim());
    if (targetType !== 2 && targetType !== 3)
      throw invalidParam('target_type: must be 2 (objective) or 3 (key result)');
    if (data.data.length > this.settings.imageMaxBytes) {
      throw invalidParam(`data: image is larger than ${this.settings.imageMaxBytes} bytes`);
    }
    const contentType = imageType(data.data);
    if (!contentType) throw invalidParam(`data: must be a ${ACCEPTED_IMAGE_FORMATS} image`);

    const fileToken = `box${randomBytes(18).toString('base64url')}`;
    const path = await this.writeFile(fileToken, data.data);
    try {
      await writeTenant(this.db, caller.tenantId, async (tx) => {
        const target = await findTarget(tx, caller.tenantId, targetType as TargetType, targetId);
        if (!target) throw notFound('target_id', targetId);
        requireWritable(caller, target);
        const row: ImageRow = {
          file_token: fileToken,
          tenant_id: caller.tenantId,
          target_type: targetType,
          target_id: targetId,
          content_type: contentType,
          size: data.data.length,
          created_by: caller.userRef ?? null,
          created_at: this.clock(),
        };
        await insertRow(tx, 'images', row);
      });
    } catch (err) {
      await unlink(path).catch(() => undefined); // nothing refers to the file: do not keep it
      throw err;
    }
    return { file_token: fileToken, url: (await this.urlSigner(origin))(fileToken) };
  }

  /**
   * Signs URLs of images on `origin`, synchronously once the key is loaded (so it can be used inside a read). A URL
   * expires at the end of the time bucket after the current one (a bucket is half of IMAGE_URL_TTL_SECONDS): it is
   * valid for at least half the TTL and at most the TTL, and it is the same URL throughout a bucket, so browsers
   * keep the image cached across reads instead of fetching it again under a new signature every time.
   */
  async urlSigner(origin: string): Promise<(fileToken: string) => string> {
    const key = await this.signingKey();
    const bucket = (this.settings.imageUrlTtlSeconds * 1000) / 2;
    const expires = String((Math.floor(this.clock() / bucket) + 2) * bucket);
    return (fileToken) => `${origin}/okrd/images/${fileToken}?expires=${expires}&sig=${sign(key, fileToken, expires)}`;
  }

  /** The image behind a signed URL, if the signature is okrd's and the URL has not expired. */
  async download(fileToken: string, expires: string, signature: string): Promise<ImageFile> {
    if (!/^\d{1,15}$/.test(expires) || Number(expires) < this.clock()) throw badImageUrl();
    const expected = Buffer.from(sign(await this.signingKey(), fileToken, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw badImageUrl();
    const image = await this.db.read((tx) => findImage(tx, fileToken));
    if (!image) throw notFound('file_token', fileToken);
    // A row without its file: IMAGE_DIR is not the folder the image was stored in (e.g. a server started with
    // another one than the upload or pull used). Not found, as far as the URL holder can tell.
    const bytes = await readFile(join(this.settings.imageDir, fileToken)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw notFound('file_token', fileToken);
      throw err;
    });
    return { contentType: image.content_type, bytes };
  }

  /**
   * Makes sure the URL-signing key exists before the first request, so that reading rich text (which signs its
   * images) never has to write it: a read request writes nothing.
   */
  async prepare(): Promise<void> {
    await this.signingKey();
  }

  private signingKey(): Promise<string> {
    // One key per database, made by whichever process needs it first, so every process verifies every URL.
    this.key ??= this.db
      .write((tx) => secretNamed(tx, 'image_url_key', randomBytes(32).toString('hex'), this.clock()))
      .catch((err: unknown) => {
        this.key = undefined; // try again on the next request
        throw err;
      });
    return this.key;
  }

  /**
   * Deletes the files of uploads that never got their row (the process was killed between writing the file and
   * committing): files and `.part` files older than an hour that no row names. Resolves to how many it deleted.
   */
  async removeOrphans(now: number = this.clock()): Promise<number> {
    let removed = 0;
    let batch: string[] = [];
    const sweep = async () => {
      const tokens = batch.map((name) => name.replace(/\.part$/, ''));
      // Always SWEEP_BATCH names (the first repeated): one statement shape, whatever the folder holds.
      const padded = [...tokens, ...Array<string>(SWEEP_BATCH - tokens.length).fill(tokens[0]!)];
      const referenced = await this.db.read((tx) => imageTokensAmong(tx, padded));
      for (const [i, name] of batch.entries()) {
        if (name.endsWith('.part') || !referenced.has(tokens[i]!)) {
          await unlink(join(this.settings.imageDir, name)).then(
            () => removed++,
            () => undefined, // gone already (another process sweeping)
          );
        }
      }
      batch = [];
    };
    const dir = await opendir(this.settings.imageDir).catch(() => undefined); // no folder: no uploads yet
    if (!dir) return 0;
    for await (const entry of dir) {
      if (!entry.isFile() || !/^box[\w-]+(\.part)?$/.test(entry.name)) continue;
      const info = await stat(join(this.settings.imageDir, entry.name)).catch(() => undefined);
      if (!info || now - info.mtimeMs < ORPHAN_AGE_MS) continue;
      batch.push(entry.name);
      if (batch.length >= SWEEP_BATCH) await sweep();
    }
    if (batch.length > 0) await sweep();
    return removed;
  }

  /**
   * Writes the bytes durably before the database row that refers to them: a temp file, fsync, rename, fsync of the
   * folder (so the name survives a power loss too). A crash before the row commits leaves a file nothing refers to
   * or serves (removeOrphans deletes it later); an acknowledged upload always has its whole file.
   */
  private async writeFile(fileToken: string, bytes: Buffer): Promise<string> {
    await mkdir(this.settings.imageDir, { recursive: true });
    const path = join(this.settings.imageDir, fileToken);
    const temp = `${path}.part`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    const dir = await open(this.settings.imageDir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return path;
  }
}
