/** The registry of every endpoint okrd serves: app.ts registers it, and tests loop over it. */
import type { Endpoint } from '../endpoint.js';
import { tokenEndpoints } from './auth/token.routes.js';
import { imageEndpoints } from './v1/image.routes.js';
import { okrEndpoints } from './v1/okr.routes.js';
import { periodEndpoints } from './v1/period.routes.js';
import { progressRecordEndpoints } from './v1/progress-record.routes.js';
import { reviewEndpoints } from './v1/review.routes.js';

export const ENDPOINTS: readonly Endpoint[] = [
  ...tokenEndpoints,
  ...periodEndpoints,
  ...okrEndpoints,
  ...progressRecordEndpoints,
  ...imageEndpoints,
  ...reviewEndpoints,
];
