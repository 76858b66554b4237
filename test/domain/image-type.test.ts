import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageType } from '../../src/domain/image-type.js';

/** An ISO-BMFF `ftyp` box with this major brand and these compatible brands, then a little more. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return Buffer.concat([size, Buffer.from('ftyp'), body, Buffer.from('\0\0\0\x08meta')]);
}

/** A 1×1 24-bit BMP whose DIB header is `dibSize` bytes long. */
function bmp(dibSize = 40): Buffer {
  const b = Buffer.alloc(14 + dibSize + 4);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(14 + dibSize, 10);
  b.writeUInt32LE(dibSize, 14);
  return b;
}

describe('imageType', () => {
  it('recognises the formats Feishu accepts by their leading bytes', () => {
    const cases: [Buffer, string][] = [
      [Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'image/png'],
      [Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg'],
      [Buffer.from('GIF89a\x01\x00', 'latin1'), 'image/gif'],
      [Buffer.from('GIF87a\x01\x00', 'latin1'), 'image/gif'],
      [Buffer.from('RIFF\x1a\0\0\0WEBPVP8 ', 'latin1'), 'image/webp'],
      [bmp(40), 'image/bmp'],
      [bmp(12), 'image/bmp'],
      [bmp(124), 'image/bmp'],
      [Buffer.from('0000010001001010000001002000680400001600', 'hex'), 'image/x-icon'],
      [Buffer.from('49492a0008000000', 'hex'), 'image/tiff'],
      [Buffer.from('4d4d002a00000008', 'hex'), 'image/tiff'],
      ...['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs'].map((b): [Buffer, string] => [ftyp(b), 'image/heic']),
      [ftyp('mif1', 'mif1', 'heic'), 'image/heic'],
      [ftyp('mif1'), 'image/heic'],
    ];
    for (const [bytes, type] of cases) assert.equal(imageType(bytes), type, bytes.subarray(0, 12).toString('hex'));
  });

  it('refuses look-alikes: text starting "BM", cursors, empty icons, BigTIFF, AVIF and other ISO-BMFF files', () => {
    for (const bytes of [
      Buffer.from('BMW cars are not bitmaps, even with a long enough text', 'latin1'),
      bmp(41),
      Buffer.from('BM', 'latin1'),
      Buffer.from('0000020001001010', 'hex'), // a cursor (type 2)
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
