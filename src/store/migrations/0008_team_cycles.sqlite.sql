-- Team OKRs (decisions.md OQ-34): a cycle is owned by a user or by a department. SQLite cannot drop a NOT NULL in
-- place, so okrs is rebuilt (migrations run with key enforcement off and check every key before committing).
CREATE TABLE okrs_rebuilt (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  owner_id TEXT REFERENCES users(id),
  period_id TEXT NOT NULL REFERENCES periods(id),
  confirm_status INTEGER NOT NULL DEFAULT 0,
  visibility TEXT NOT NULL DEFAULT 'tenant' CHECK (visibility IN ('tenant', 'leaders')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  department_id TEXT REFERENCES departments(id),
  CHECK ((owner_id IS NULL) <> (department_id IS NULL)),
  UNIQUE (owner_id, period_id),
  UNIQUE (department_id, period_id)
);
INSERT INTO okrs_rebuilt (id, tenant_id, owner_id, period_id, confirm_status, visibility, created_at, updated_at)
  SELECT id, tenant_id, owner_id, period_id, confirm_status, visibility, created_at, updated_at FROM okrs;
DROP TABLE okrs;
ALTER TABLE okrs_rebuilt RENAME TO okrs;
CREATE INDEX okrs_period ON okrs(period_id);
