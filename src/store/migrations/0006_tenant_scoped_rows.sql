-- Every tenant row names its tenant, so every statement that changes one can be bound to the tenant
-- (store/tenant-write.ts refuses a mutating statement that does not bind it).
ALTER TABLE app_users ADD COLUMN tenant_id TEXT REFERENCES tenants(id);
UPDATE app_users SET tenant_id = (SELECT a.tenant_id FROM apps a WHERE a.app_id = app_users.app_id);
CREATE INDEX app_users_tenant ON app_users(tenant_id);
