import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageType } from '../../src/domain/image-type.js';
import { BMP, GIF, HEIC, ICO, IMAGES, JPEG, PNG, WEBP, bmp, ftyp, tiff, truncated } from '../fixtures/images.js';

describe('imageType', () => {
  it('recognises whole images of the formats Feishu accepts by their bytes', () => {
    const cases: [Buffer, string][] = [
      ...Object.entries(IMAGES).map(([type, bytes]): [Buffer, string] => [bytes, type]),
      [Buffer.from(GIF.toString('latin1').replace('GIF89a', 'GIF87a'), 'latin1'), 'image/gif'],
      [bmp(12), 'image/bmp'],
      [bmp(124), 'image/bmp'],
      [tiff(true), 'image/tiff'],
      ...['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs'].map((b): [Buffer, string] => [ftyp(b), 'image/heic']),
      [ftyp('mif1', 'mif1', 'heic'), 'image/heic'],
      [ftyp('mif1'), 'image/heic'],
    ];
    for (const [bytes, type] of cases) assert.equal(imageType(bytes), type, bytes.subarray(0, 12).toString('hex'));
  });

  it('refuses files that only begin like an image: cut short, or with size fields that disagree with the length', () => {
    const resized = (image: Buffer, at: number, value: number, be = false) => {
      const b = Buffer.from(image);
      if (be) b.writeUInt32BE(value, at);
      else b.writeUInt32LE(value, at);
      return b;
    };
    const cases: [string, Buffer][] = [
      ...Object.entries(IMAGES).flatMap(([type, bytes]): [string, Buffer][] => [
        [`${type} cut in half`, truncated(bytes)],
        [`${type} without its last byte`, truncated(bytes, bytes.length - 1)],
        [`${type} with 16 bytes of its start only`, truncated(bytes, 16)],
      ]),
      ['a PNG with bytes after IEND', Buffer.concat([PNG, Buffer.alloc(4)])],
      ['a PNG whose IHDR says 0×1', resized(PNG, 16, 0, true)],
      ['a PNG whose IDAT runs past the end', resized(PNG, 33, 1000, true)],
      ['a JPEG of headers without a scan', Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex')],
      ['a JPEG whose segment runs past the end', resized(JPEG, 4, 0xffff0000, true)],
      ['a GIF without trailer', GIF.subarray(0, GIF.length - 1)],
      ['a GIF without an image', Buffer.from('4749463839610100010000000000003b', 'hex')],
      ['a GIF with bytes after the trailer', Buffer.concat([GIF, Buffer.alloc(3)])],
      ['a WebP whose RIFF size is not the length', resized(WEBP, 4, 1000)],
      ['a WebP whose chunk is larger than the file', resized(WEBP, 16, 1000)],
      ['a BMP whose size field is not the length', resized(BMP, 2, 1000)],
      ['a BMP whose pixels start past the end', resized(BMP, 10, 1000)],
      ['a BMP of 0×1 pixels', resized(BMP, 18, 0)],
      ['an icon whose image lies past the end', resized(ICO, 18, 10_000)],
      ['an icon whose image overlaps its directory', resized(ICO, 18, 0)],
      ['a TIFF whose directory lies past the end', resized(tiff(), 4, 1000)],
      ['a HEIC whose boxes do not tile the file', Buffer.concat([HEIC, Buffer.alloc(3)])],
      ['a HEIC without meta', HEIC.subarray(0, HEIC.length - 12)],
    ];
    for (const [label, bytes] of cases) assert.equal(imageType(bytes), undefined, label);
  });

  it('refuses look-alikes: text starting "BM", cursors, empty icons, BigTIFF, AVIF and other ISO-BMFF files', () => {
    for (const bytes of [
      Buffer.from('BMW cars are not bitmaps, even with a long enough text', 'latin1'),
      bmp(41),
      Buffer.from('BM', 'latin1'),
      Buffer.concat([Buffer.from('000002000100', 'hex'), ICO.subarray(6)]), // a cursor (type 2)
      Buffer.from('000001000000', 'hex'), // an icon directory without images
      Buffer.from('49492b0008000000', 'hex'), // BigTIFF
      Buffer.from('49492a', 'hex'),
      ftyp('avif', 'avif', 'mif1', 'miaf'),
      ftyp('mif1', 'mif1', 'avif'),
      ftyp('isom', 'isom', 'mp41'),
      ftyp('mp42'),
      Buffer.from('\0\0\0\x18ftyp', 'latin1'),
      Buffer.from('%PDF-1.4', 'latin1'),
      Buffer.alloc(0),
    ]) {
      assert.equal(imageType(bytes), undefined, bytes.subarray(0, 16).toString('hex'));
    }
  });
});
