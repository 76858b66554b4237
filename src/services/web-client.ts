/**
 * The web UI's first-party client in each tenant (decisions.md OQ-38, OQ-39). Every tenant knows the one client id
 * `okrd_web`; which tenant a sign-in belongs to is only known once the person has signed in, so behind it each tenant
 * gets an ordinary public app row of its own (`okrd_web_<tenant id>`), made the first time someone of the tenant signs
 * in to the UI. Tokens, open_ids and rate limits then work as for any other app.
 */
import { ALL_SCOPES } from '../contract/scopes.js';
import type { AppRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { findApp } from '../store/tenant.repository.js';
import type { TenantTx } from '../store/tenant-write.js';
import { addOpenIdsForEveryUser } from '../store/user.repository.js';

/** The app id of the tenant's web UI client. */
export const webAppId = (tenantId: string) => `okrd_web_${tenantId}`;

/** The row of the tenant's web UI client: public (no secret can match), holding every scope. */
export function webAppRow(tenantId: string, now: number): AppRow {
  return {
    app_id: webAppId(tenantId),
    tenant_id: tenantId,
    name: 'okrd',
    // Not a hash any secret matches: the client is public and authenticates by PKCE alone.
    secret_hash: 'public$',
    scopes: ALL_SCOPES.join(' '),
    created_at: now,
    client_type: 'public',
  };
}

/**
 * Makes the tenant's web client (with an open_id for every person) unless it exists. Two people of a new tenant may
 * sign in to the UI at the same moment: only the transaction whose insert made the row adds the open_ids.
 */
export async function ensureWebApp(tx: TenantTx, now: number): Promise<void> {
  if (await findApp(tx, webAppId(tx.tenantId))) return;
  const row = webAppRow(tx.tenantId, now);
  if (!(await insertRow(tx, 'apps', row, { key: 'app_id' }))) return;
  await addOpenIdsForEveryUser(tx, row.app_id);
}
