/**
 * okrd's administration API, sign-in links (`POST /okrd/admin/users/:user_id/sign_in_link`): what the CLI's
 * `user invite` / `user reset-password` make, for the web UI's administration page. The link is answered this once
 * (only its hash is stored) and is single-use: an invitation lives 7 days, a reset 1 hour.
 */
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../common.js';
import { AdminUserParams } from './admin.js';

export { AdminUserParams };

export const CreateSignInLinkBody = Type.Object({
  /** invite: a new person sets a first password (7 days); reset: a forgotten one (1 hour). */
  purpose: StringEnum(['invite', 'reset']),
});
export const SignInLink = Type.Object({
  user_id: Type.String(),
  purpose: StringEnum(['invite', 'reset']),
  url: Type.String({ description: 'shown only here: okrd keeps its hash' }),
  expires_at: Type.Integer({ description: 'epoch milliseconds' }),
});
