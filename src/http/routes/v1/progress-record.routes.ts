/** v1 progress records (spec §3.7–3.10). */
import {
  CreateProgressRecordBody,
  ProgressRecord,
  ProgressRecordParams,
  ProgressRecordQuery,
  UpdateProgressRecordBody,
} from '../../../contract/progress-record.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';
import { imageOrigin } from './image.routes.js';

const PATH = '/open-apis/okr/v1/progress_records';

export const progressRecordEndpoints = [
  endpoint({
    method: 'POST',
    url: PATH,
    tag: 'v1',
    summary: 'Create a progress record on an objective or key result',
    access: ACCESS.progressWrite,
    schema: { querystring: ProgressRecordQuery, body: CreateProgressRecordBody, data: ProgressRecord },
    handler: ({ caller, query, body, services, request }) =>
      services.records.create(caller, body, query.user_id_type ?? 'open_id', imageOrigin(request, services)),
  }),
  endpoint({
    method: 'GET',
    url: `${PATH}/:progress_id`,
    tag: 'v1',
    summary: 'Get a progress record',
    access: ACCESS.progressRead,
    schema: { params: ProgressRecordParams, querystring: ProgressRecordQuery, data: ProgressRecord },
    handler: ({ caller, params, query, services, request }) =>
      services.records.get(caller, params.progress_id, query.user_id_type ?? 'open_id', imageOrigin(request, services)),
  }),
  endpoint({
    method: 'PUT',
    url: `${PATH}/:progress_id`,
    tag: 'v1',
    summary: "Replace a progress record's content and progress",
    access: ACCESS.progressWrite,
    schema: {
      params: ProgressRecordParams,
      querystring: ProgressRecordQuery,
      body: UpdateProgressRecordBody,
      data: ProgressRecord,
    },
    handler: ({ caller, params, query, body, services, request }) =>
      services.records.update(
        caller,
        params.progress_id,
        body,
        query.user_id_type ?? 'open_id',
        imageOrigin(request, services),
      ),
  }),
  endpoint({
    method: 'DELETE',
    url: `${PATH}/:progress_id`,
    tag: 'v1',
    summary: 'Delete a progress record',
    access: ACCESS.progressDelete,
    schema: { params: ProgressRecordParams },
    handler: ({ caller, params, services }) => services.records.delete(caller, params.progress_id),
  }),
];
