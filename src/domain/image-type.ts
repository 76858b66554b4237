/**
 * Recognises the image formats okrd accepts by their bytes, never by what the client claims: Feishu's list
 * (spec §10: JPG, JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF, HEIC; decisions.md OQ-24). A file must not only begin like
 * an image: its structure is walked far enough that every size field agrees with the length and the format's end
 * marker is there (PNG IHDR…IEND, JPEG SOI…SOS…EOI, GIF's trailer, the RIFF size of WebP, BMP/ICO/TIFF/HEIC headers
 * and offsets within the file). Pixels are not decoded: that is the viewer's job, and a sandboxed one.
 */

/** The content types of accepted images, each served with its own. */
export type ImageType =
  'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/bmp' | 'image/x-icon' | 'image/tiff' | 'image/heic';

/** The formats accepted, as messages name them. */
export const ACCEPTED_IMAGE_FORMATS = 'PNG, JPEG, GIF, WebP, BMP, ICO, TIFF or HEIC';

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  prefix.every((b, i) => bytes[at + i] === b);

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  bytes.length >= at + length ? String.fromCharCode(...bytes.subarray(at, at + length)) : '';

const uint32LE = (bytes: Uint8Array, at: number) =>
  (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

const uint32BE = (bytes: Uint8Array, at: number) =>
  ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;

const uint16LE = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const uint16BE = (bytes: Uint8Array, at: number) => (bytes[at]! << 8) | bytes[at + 1]!;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG signature, IHDR first (13 bytes, non-zero size), then chunks whose lengths end exactly at IEND. */
function isPng(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, PNG_SIGNATURE) || bytes.length < 8 + 25 + 12) return false;
  if (uint32BE(bytes, 8) !== 13 || ascii(bytes, 12, 4) !== 'IHDR') return false;
  if (uint32BE(bytes, 16) === 0 || uint32BE(bytes, 20) === 0) return false;
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = uint32BE(bytes, at);
    const end = at + 12 + length;
    if (end > bytes.length) return false;
    if (ascii(bytes, at + 4, 4) === 'IEND') return length === 0 && end === bytes.length;
    at = end;
  }
  return false;
}

/**
 * SOI, then marker segments whose lengths stay inside the file, a frame header (SOFn) before the first scan (SOS),
 * and EOI as the last two bytes.
 */
function isJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < 4 || !startsWith(bytes, [0xff, 0xd8, 0xff]) || bytes[n - 2] !== 0xff || bytes[n - 1] !== 0xd9) return false;
  let at = 2;
  let frame = false;
  while (at + 4 <= n) {
    if (bytes[at] !== 0xff) return false;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0xd9 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) return false;
    const length = uint16BE(bytes, at + 2);
    if (length < 2 || at + 2 + length > n - 2) return false;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frame = true;
    if (marker === 0xda) return frame;
    at += 2 + length;
  }
  return false;
}

/** GIF sub-blocks from `at`: the offset after their zero terminator, or -1 when they run past the end. */
function skipSubBlocks(bytes: Uint8Array, at: number): number {
  while (at < bytes.length) {
    const size = bytes[at]!;
    if (size === 0) return at + 1;
    at += 1 + size;
  }
  return -1;
}

/** Header, screen descriptor and colour table, then extensions and at least one image, ending with the trailer. */
function isGif(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) || (bytes[4] !== 0x37 && bytes[4] !== 0x39) || bytes[5] !== 0x61)
    return false;
  if (bytes.length < 14) return false;
  const packed = bytes[10]!;
  let at = 13 + (packed & 0x80 ? 3 << ((packed & 0x07) + 1) : 0);
  let images = 0;
  while (at < bytes.length) {
    const introducer = bytes[at]!;
    if (introducer === 0x3b) return images > 0 && at === bytes.length - 1;
    if (introducer === 0x21) {
      at = skipSubBlocks(bytes, at + 2);
    } else if (introducer === 0x2c) {
      if (at + 10 > bytes.length) return false;
      const local = bytes[at + 9]!;
      at += 10 + (local & 0x80 ? 3 << ((local & 0x07) + 1) : 0) + 1; // descriptor, local colours, LZW code size
      at = skipSubBlocks(bytes, at);
      images += 1;
    } else return false;
    if (at < 0) return false;
  }
  return false;
}

/** RIFF whose size is the file's, WEBP, and a first chunk VP8, VP8L or VP8X that fits inside it. */
function isWebp(bytes: Uint8Array): boolean {
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP' || bytes.length < 20) return false;
  const riffEnd = 8 + uint32LE(bytes, 4);
  if (riffEnd !== bytes.length && riffEnd + 1 !== bytes.length) return false; // a pad byte may follow
  const chunk = ascii(bytes, 12, 4);
  const size = uint32LE(bytes, 16);
  if (size === 0 || 20 + size > riffEnd) return false;
  if (chunk === 'VP8L') return bytes[20] === 0x2f;
  if (chunk === 'VP8 ') return size >= 10 && startsWith(bytes, [0x9d, 0x01, 0x2a], 23);
  return chunk === 'VP8X' && size >= 10;
}

// BMP: "BM", then (at 14) the size of the DIB header that follows, one of the known header versions.
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** "BM", a file size equal to the length, a known DIB header, a non-empty size and pixels that start inside the file. */
function isBmp(bytes: Uint8Array): boolean {
  if (bytes.length < 26 || !startsWith(bytes, [0x42, 0x4d])) return false;
  const dib = uint32LE(bytes, 14);
  if (!BMP_DIB_HEADER_SIZES.has(dib) || uint32LE(bytes, 2) !== bytes.length) return false;
  const pixels = uint32LE(bytes, 10);
  if (pixels < 14 + dib || pixels >= bytes.length) return false;
  const [width, height] =
    dib === 12 ? [uint16LE(bytes, 18), uint16LE(bytes, 20)] : [uint32LE(bytes, 18), uint32LE(bytes, 22)];
  return width !== 0 && height !== 0;
}

/** An ICO directory: reserved 0, type 1 (2 would be a cursor), images whose sizes and offsets lie inside the file. */
function isIco(bytes: Uint8Array): boolean {
  if (bytes.length < 6 || !startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return false;
  const count = uint16LE(bytes, 4);
  const directoryEnd = 6 + 16 * count;
  if (count === 0 || directoryEnd > bytes.length) return false;
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    const size = uint32LE(bytes, entry + 8);
    const offset = uint32LE(bytes, entry + 12);
    if (size === 0 || offset < directoryEnd || offset + size > bytes.length) return false;
  }
  return true;
}

/** "II*\0" or "MM\0*", and a first image directory with at least one entry inside the file. */
function isTiff(bytes: Uint8Array): boolean {
  const little = startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]);
  if (!little && !startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return false;
  if (bytes.length < 8) return false;
  const ifd = little ? uint32LE(bytes, 4) : uint32BE(bytes, 4);
  if (ifd < 8 || ifd + 2 > bytes.length) return false;
  const entries = little ? uint16LE(bytes, ifd) : uint16BE(bytes, ifd);
  return entries > 0 && ifd + 2 + 12 * entries + 4 <= bytes.length;
}

// The HEIF brands of HEIC images (ISO/IEC 23008-12): HEVC-coded images and sequences, and the generic image brand.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs', 'mif1']);
// AV1 images share the generic `mif1` brand; they are AVIF, not HEIC.
const AVIF_BRANDS = new Set(['avif', 'avis']);

/**
 * An ISO-BMFF file whose first box is `ftyp` with a HEIC major brand, whose top-level boxes tile the file exactly
 * and include `meta` (where HEIF keeps its images). A `mif1` file that also lists an AVIF brand is AVIF, not HEIC.
 */
function isHeic(bytes: Uint8Array): boolean {
  if (ascii(bytes, 4, 4) !== 'ftyp') return false;
  const major = ascii(bytes, 8, 4);
  if (!HEIC_BRANDS.has(major)) return false;
  const ftypEnd = uint32BE(bytes, 0);
  if (ftypEnd < 16 || ftypEnd > bytes.length) return false;
  if (major === 'mif1')
    for (let at = 16; at + 4 <= ftypEnd; at += 4) if (AVIF_BRANDS.has(ascii(bytes, at, 4))) return false;
  let meta = false;
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return false;
    let size = uint32BE(bytes, at);
    if (size === 1) {
      if (at + 16 > bytes.length) return false;
      size = uint32BE(bytes, at + 8) * 2 ** 32 + uint32BE(bytes, at + 12);
    } else if (size === 0) size = bytes.length - at; // the last box runs to the end
    if (size < 8 || at + size > bytes.length) return false;
    if (ascii(bytes, at + 4, 4) === 'meta') meta = true;
    at += size;
  }
  return meta;
}

/** The image type of `bytes`, or undefined when they are none of the accepted formats (or only begin like one). */
export function imageType(bytes: Uint8Array): ImageType | undefined {
  if (isPng(bytes)) return 'image/png';
  if (isJpeg(bytes)) return 'image/jpeg';
  if (isGif(bytes)) return 'image/gif';
  if (isWebp(bytes)) return 'image/webp';
  if (isBmp(bytes)) return 'image/bmp';
  if (isIco(bytes)) return 'image/x-icon';
  if (isTiff(bytes)) return 'image/tiff';
  if (isHeic(bytes)) return 'image/heic';
  return undefined;
}
