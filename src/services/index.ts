/** The one place that builds okrd's services from their effects; the HTTP app and the CLI both use it. */
import { loadConfig, type Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import type { Db } from '../store/db.js';
import { AdminService } from './admin.service.js';
import { AlignmentService } from './alignment.service.js';
import { AuthService } from './auth.service.js';
import { CategoryService } from './category.service.js';
import { CommentService } from './comment.service.js';
import { ContactService } from './contact.service.js';
import { CycleService } from './cycle.service.js';
import { ImageService } from './image.service.js';
import { IndicatorService } from './indicator.service.js';
import { KeyResultService } from './key-result.service.js';
import { OAuthService } from './oauth.service.js';
import { OidcSignInService } from './oidc-sign-in.service.js';
import { ObjectiveService } from './objective.service.js';
import { OkrService } from './okr.service.js';
import { OrgViewService } from './org-views.service.js';
import { PeriodService } from './period.service.js';
import { ProgressService } from './progress.service.js';
import { ProgressRecordService } from './progress-record.service.js';
import { ReviewService } from './review.service.js';
import { SignInService } from './sign-in.service.js';
import { TransferService } from './transfer.service.js';

/** What every service may depend on; settings left out of `config` take the defaults of an empty environment. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdSource;
  config?: Partial<Config>;
}

/** Every service of okrd, built once per process (or per test app). */
export function buildServices(deps: ServiceDeps) {
  const config: Config = { ...loadConfig({}), ...deps.config };
  const { db, clock, ids } = deps;
  const auth = new AuthService(db, clock, config.tokenTtlSeconds);
  const images = new ImageService(db, clock, config);
  return {
    config,
    auth,
    admin: new AdminService(db, clock, ids, auth),
    periods: new PeriodService(db, clock, ids),
    okrs: new OkrService(db, config.okrCacheEntries),
    records: new ProgressRecordService(db, clock, ids, images),
    images,
    reviews: new ReviewService(db, clock, ids),
    transfer: new TransferService(db),
    alignments: new AlignmentService(db, clock, ids),
    comments: new CommentService(db, clock, ids),
    cycles: new CycleService(db, clock, ids),
    categories: new CategoryService(db, clock, ids),
    indicators: new IndicatorService(db, clock),
    progresses: new ProgressService(db, images),
    objectives: new ObjectiveService(db, clock, ids, config.okrCacheEntries),
    keyResults: new KeyResultService(db, clock, ids),
    signIn: new SignInService(db, clock, config),
    oidcSignIn: new OidcSignInService(db, clock, ids, auth, config),
    oauth: new OAuthService(db, clock, config.tokenTtlSeconds, config.publicUrl),
    contacts: new ContactService(db),
    orgViews: new OrgViewService(db),
  };
}

/** The services buildServices makes. */
export type Services = ReturnType<typeof buildServices>;
