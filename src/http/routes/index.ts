/** The registry of every endpoint okrd serves: app.ts registers it, and tests loop over it. */
import type { Endpoint } from '../endpoint.js';
import { adminEndpoints } from './okrd/admin.routes.js';
import { adminLinkEndpoints } from './okrd/admin-links.routes.js';
import { myReviewEndpoints } from './okrd/my-reviews.routes.js';
import { meEndpoints } from './okrd/me.routes.js';
import { orgViewEndpoints } from './okrd/org-views.routes.js';
import { tokenEndpoints } from './auth/token.routes.js';
import { oauthEndpoints } from './authen/oauth.routes.js';
import { contactEndpoints } from './contact/contact.routes.js';
import { imageEndpoints } from './v1/image.routes.js';
import { okrEndpoints } from './v1/okr.routes.js';
import { periodEndpoints } from './v1/period.routes.js';
import { progressRecordEndpoints } from './v1/progress-record.routes.js';
import { reviewEndpoints } from './v1/review.routes.js';
import { alignmentEndpoints } from './v2/alignment.routes.js';
import { categoryEndpoints } from './v2/category.routes.js';
import { commentEndpoints } from './v2/comment.routes.js';
import { cycleEndpoints } from './v2/cycle.routes.js';
import { indicatorEndpoints } from './v2/indicator.routes.js';
import { keyResultEndpoints } from './v2/key-result.routes.js';
import { objectiveEndpoints } from './v2/objective.routes.js';
import { progressEndpoints } from './v2/progress.routes.js';

export const ENDPOINTS: readonly Endpoint[] = [
  ...tokenEndpoints,
  ...oauthEndpoints,
  ...periodEndpoints,
  ...okrEndpoints,
  ...progressRecordEndpoints,
  ...imageEndpoints,
  ...reviewEndpoints,
  ...alignmentEndpoints,
  ...commentEndpoints,
  ...cycleEndpoints,
  ...categoryEndpoints,
  ...indicatorEndpoints,
  ...progressEndpoints,
  ...objectiveEndpoints,
  ...keyResultEndpoints,
  ...contactEndpoints,
  ...adminEndpoints,
  ...adminLinkEndpoints,
  ...myReviewEndpoints,
  ...meEndpoints,
  ...orgViewEndpoints,
];
