/** POST /open-apis/okr/v1/images/upload (multipart, spec §3.11) and GET /okrd/images/:file_token (its signed URL). */
import { ImageParams, ImageQuery, UploadImageResponse } from '../../../contract/image.js';
import { ACCESS } from '../../../contract/scopes.js';
import { multipartBoundary, parseMultipart } from '../../../domain/multipart.js';
import { invalidParam } from '../../../errors.js';
import { FileBody, endpoint } from '../../endpoint.js';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.js';

/** Where clients reach okrd, for the image URLs an answer holds: PUBLIC_URL, else the request's own origin. */
export const imageOrigin = (request: FastifyRequest, services: Services): string =>
  services.config.publicUrl || `${request.protocol}://${request.host}`;

export const imageEndpoints = [
  endpoint({
    method: 'POST',
    url: '/open-apis/okr/v1/images/upload',
    tag: 'v1',
    summary: 'Upload an image for progress-record rich text (multipart: data, target_id, target_type)',
    access: ACCESS.imageUpload,
    schema: { data: UploadImageResponse.properties.data },
    // The multipart body arrives buffered whole (app.ts bounds it by IMAGE_MAX_BYTES) and is parsed as bytes.
    handler: async ({ caller, request, services }) => {
      const boundary = multipartBoundary(request.headers['content-type']);
      const parts = boundary && Buffer.isBuffer(request.body) ? parseMultipart(request.body, boundary) : undefined;
      if (!parts) throw invalidParam('body: must be multipart/form-data with parts data, target_id and target_type');
      return services.images.upload(caller, parts, imageOrigin(request, services));
    },
  }),
  endpoint({
    method: 'GET',
    url: '/okrd/images/:file_token',
    tag: 'okrd',
    summary: 'The bytes of an uploaded image, for holders of a signed URL',
    noPermissionStatus: 403,
    schema: { params: ImageParams, querystring: ImageQuery },
    handler: async ({ params, query, services }) => {
      const { contentType, bytes } = await services.images.download(params.file_token, query.expires, query.sig);
      // The stored type is the one its bytes were recognised as; nosniff keeps browsers from guessing another.
      return new FileBody(contentType, bytes, {
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
    },
  }),
];
