-- Departments (contact API and team OKRs). Feishu names the root department "0" in both id types; it is not stored:
-- a department without a parent sits directly under it.
CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  -- The tenant's own id of the department: `department_id` on the wire.
  department_id TEXT NOT NULL,
  -- `od-` + 32 hex, as Feishu's: `open_department_id` on the wire.
  open_department_id TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  -- Deferred, so an import may list a department before its parent.
  parent_id TEXT REFERENCES departments(id) DEFERRABLE INITIALLY DEFERRED,
  leader_id TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, department_id)
);
CREATE INDEX departments_parent ON departments(tenant_id, parent_id);

CREATE TABLE department_members (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  department_ref TEXT NOT NULL REFERENCES departments(id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (department_ref, user_ref)
);
CREATE INDEX department_members_user ON department_members(user_ref);
