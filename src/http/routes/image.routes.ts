/** POST /open-apis/okr/v1/images/upload (multipart) and GET /okrd/images/:file_token (the signed URL it returns). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ImageParams, ImageQuery, UploadImageResponse } from '../../contract/image.js';
import { ACCESS } from '../../contract/scopes.js';
import { multipartBoundary, parseMultipart } from '../../domain/multipart.js';
import { invalidParam } from '../../errors.js';
import type { ImageService } from '../../services/image.service.js';

export const imageRoutes: FastifyPluginAsyncTypebox<{
  images: ImageService;
  maxBytes: number;
  publicUrl: string;
}> = async (app, { images, maxBytes, publicUrl }) => {
  // Multipart is buffered whole (bounded by the image limit plus room for the other fields) and parsed as bytes.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: maxBytes + 64 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/open-apis/okr/v1/images/upload',
    { config: { access: ACCESS.imageUpload }, schema: { response: { 200: UploadImageResponse } } },
    async (request) => {
      const boundary = multipartBoundary(request.headers['content-type']);
      const parts = boundary && Buffer.isBuffer(request.body) ? parseMultipart(request.body, boundary) : undefined;
      if (!parts) throw invalidParam('body: must be multipart/form-data with parts data, target_id and target_type');
      const origin = publicUrl || `${request.protocol}://${request.host}`;
      return { code: 0, msg: 'success', data: await images.upload(request.caller, parts, origin) };
    },
  );

  app.get(
    '/okrd/images/:file_token',
    { config: { noPermissionStatus: 403 }, schema: { params: ImageParams, querystring: ImageQuery } },
    async (request, reply) => {
      const { contentType, bytes } = await images.download(
        request.params.file_token,
        request.query.expires,
        request.query.sig,
      );
      return reply.type(contentType).header('cache-control', 'private, max-age=3600').send(bytes);
    },
  );
};
