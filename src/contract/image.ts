/** v1 image upload (spec §3.11) and okrd's signed image URLs. */
import { Type } from '@sinclair/typebox';
import { Envelope } from './common.js';

export const UploadImageResponse = Envelope(Type.Object({ file_token: Type.String(), url: Type.String() }));

export const ImageParams = Type.Object({ file_token: Type.String({ pattern: '^box[A-Za-z0-9_-]{24}$' }) });
export const ImageQuery = Type.Object({
  expires: Type.String({ maxLength: 20 }),
  sig: Type.String({ maxLength: 100 }),
});
