/**
 * Recognises the image formats okrd accepts by their leading bytes, never by what the client claims: Feishu's list
 * (spec §10: JPG, JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF, HEIC; decisions.md OQ-24).
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

// BMP: "BM", then (at 14) the size of the DIB header that follows, one of the known header versions.
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** "BM" and a known DIB header size: two letters alone would take many text files for bitmaps. */
function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 18 && startsWith(bytes, [0x42, 0x4d]) && BMP_DIB_HEADER_SIZES.has(uint32LE(bytes, 14));
}

/** An ICO directory: reserved 0, type 1 (icon; 2 would be a cursor), at least one image. */
function isIco(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && (bytes[4]! | (bytes[5]! << 8)) > 0;
}

// The HEIF brands of HEIC images (ISO/IEC 23008-12): HEVC-coded images and sequences, and the generic image brand.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs', 'mif1']);
// AV1 images share the generic `mif1` brand; they are AVIF, not HEIC.
const AVIF_BRANDS = new Set(['avif', 'avis']);

/**
 * An ISO-BMFF file whose first box is `ftyp` with a HEIC major brand. A `mif1` file that also lists an AVIF brand
 * is an AVIF image and is not taken for HEIC.
 */
function isHeic(bytes: Uint8Array): boolean {
  if (ascii(bytes, 4, 4) !== 'ftyp') return false;
  const major = ascii(bytes, 8, 4);
  if (!HEIC_BRANDS.has(major)) return false;
  if (major !== 'mif1') return true;
  const boxEnd = Math.min(uint32BE(bytes, 0), bytes.length, 4096);
  for (let at = 16; at + 4 <= boxEnd; at += 4) if (AVIF_BRANDS.has(ascii(bytes, at, 4))) return false;
  return true;
}

/** The image type of `bytes`, or undefined when they are none of the accepted formats. */
export function imageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
    return 'image/gif';
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  if (isBmp(bytes)) return 'image/bmp';
  if (isIco(bytes)) return 'image/x-icon';
  // TIFF, little-endian "II*\0" or big-endian "MM\0*".
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (isHeic(bytes)) return 'image/heic';
  return undefined;
}
