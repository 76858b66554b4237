-- okrd core schema: one data model behind the v1 and v2 APIs (decisions.md OQ-12).
-- Written in the SQL both SQLite and PostgreSQL accept. Ids are decimal strings (int64 does not fit a JS
-- number); times are epoch milliseconds (BIGINT), 0 meaning "never".

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- Periods start at local midnight; Feishu's own tenants are on China time (+08:00).
  utc_offset_minutes INTEGER NOT NULL DEFAULT 480,
  created_at BIGINT NOT NULL
);

CREATE TABLE apps (
  app_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  -- "<salt>$<hex sha256(salt:secret)>"; the secret itself is shown once and never stored.
  secret_hash TEXT NOT NULL,
  -- Granted scopes, space-separated.
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX apps_tenant ON apps(tenant_id);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  -- The tenant's own employee id: `user_id` on the wire.
  employee_id TEXT NOT NULL,
  union_id TEXT NOT NULL UNIQUE,
  people_admin_id TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  leader_id TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, employee_id),
  UNIQUE (tenant_id, people_admin_id)
);

-- open_id is per app and user: two apps see two different open_ids of one person.
CREATE TABLE app_users (
  app_id TEXT NOT NULL REFERENCES apps(app_id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  open_id TEXT NOT NULL UNIQUE,
  PRIMARY KEY (app_id, user_ref)
);
CREATE INDEX app_users_user ON app_users(user_ref);

CREATE TABLE access_tokens (
  -- hex sha256 of the token; the token itself is never stored.
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('tenant', 'app', 'user')),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL REFERENCES apps(app_id),
  user_ref TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_expires ON access_tokens(expires_at);

CREATE TABLE period_rules (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  type TEXT NOT NULL CHECK (type IN ('month', 'year')),
  length INTEGER NOT NULL,
  first_month INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX period_rules_tenant ON period_rules(tenant_id);

CREATE TABLE periods (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  rule_id TEXT REFERENCES period_rules(id),
  zh_name TEXT NOT NULL,
  en_name TEXT NOT NULL,
  -- 0 default, 1 normal, 2 invalid, 3 hidden (decisions.md OQ-1).
  status INTEGER NOT NULL DEFAULT 0,
  start_month TEXT NOT NULL,
  end_month TEXT NOT NULL,
  period_start_time BIGINT NOT NULL,
  period_end_time BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX periods_tenant_start ON periods(tenant_id, period_start_time);

-- One user's OKR for one period (v2: the user cycle).
CREATE TABLE okrs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  owner_id TEXT NOT NULL REFERENCES users(id),
  period_id TEXT NOT NULL REFERENCES periods(id),
  -- 0 initial, 1 to submit, 2 pending, 3 rejected, 4 confirmed.
  confirm_status INTEGER NOT NULL DEFAULT 0,
  -- 'tenant': everyone in the tenant may read it; 'leaders': only the owner and the owner's leader chain.
  visibility TEXT NOT NULL DEFAULT 'tenant' CHECK (visibility IN ('tenant', 'leaders')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (owner_id, period_id)
);
CREATE INDEX okrs_period ON okrs(period_id);

CREATE TABLE objectives (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  okr_id TEXT NOT NULL REFERENCES okrs(id),
  position INTEGER NOT NULL,
  -- Rich text (domain/rich-text.ts), JSON.
  content TEXT NOT NULL,
  notes TEXT NOT NULL,
  -- 0–100 (v1 scale; v2 shows score / 100).
  score INTEGER NOT NULL DEFAULT 0,
  -- Thousandths: v1 shows weight / 10 (0–100), v2 weight / 1000 (0–1, three decimals), both exact.
  weight_milli INTEGER NOT NULL DEFAULT 0,
  progress_percent DOUBLE PRECISION NOT NULL DEFAULT 0,
  -- -1 none, 0 normal, 1 at risk, 2 delayed (decisions.md OQ-3).
  progress_status INTEGER NOT NULL DEFAULT -1,
  deadline BIGINT NOT NULL DEFAULT 0,
  category_id TEXT,
  progress_rate_percent_last_updated_time BIGINT NOT NULL DEFAULT 0,
  progress_rate_status_last_updated_time BIGINT NOT NULL DEFAULT 0,
  progress_record_last_updated_time BIGINT NOT NULL DEFAULT 0,
  progress_report_last_updated_time BIGINT NOT NULL DEFAULT 0,
  score_last_updated_time BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX objectives_okr ON objectives(okr_id, position);

CREATE TABLE key_results (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  objective_id TEXT NOT NULL REFERENCES objectives(id),
  -- The objective's OKR, kept here so an OKR's key results are one indexed read.
  okr_id TEXT NOT NULL REFERENCES okrs(id),
  position INTEGER NOT NULL,
  content TEXT NOT NULL,
  score INTEGER NOT NULL DEFAULT 0,
  weight_milli INTEGER NOT NULL DEFAULT 0,
  progress_percent DOUBLE PRECISION NOT NULL DEFAULT 0,
  progress_status INTEGER NOT NULL DEFAULT -1,
  deadline BIGINT NOT NULL DEFAULT 0,
  progress_rate_percent_last_updated_time BIGINT NOT NULL DEFAULT 0,
  progress_rate_status_last_updated_time BIGINT NOT NULL DEFAULT 0,
  progress_record_last_updated_time BIGINT NOT NULL DEFAULT 0,
  progress_report_last_updated_time BIGINT NOT NULL DEFAULT 0,
  score_last_updated_time BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX key_results_okr ON key_results(okr_id, objective_id, position);
CREATE INDEX key_results_objective ON key_results(objective_id);

-- "from" aligns to "to": the v1 aligning list of `from`, the aligned list of `to`.
CREATE TABLE alignments (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  from_objective_id TEXT NOT NULL REFERENCES objectives(id),
  to_objective_id TEXT NOT NULL REFERENCES objectives(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (from_objective_id, to_objective_id)
);
CREATE INDEX alignments_to ON alignments(to_objective_id);

CREATE TABLE progress_records (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  okr_id TEXT NOT NULL REFERENCES okrs(id),
  -- 2 objective, 3 key result.
  target_type INTEGER NOT NULL CHECK (target_type IN (2, 3)),
  target_id TEXT NOT NULL,
  source_title TEXT NOT NULL,
  source_url TEXT NOT NULL,
  source_url_pc TEXT,
  source_url_mobile TEXT,
  content TEXT NOT NULL,
  progress_percent DOUBLE PRECISION,
  progress_status INTEGER,
  created_by TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  modify_time BIGINT NOT NULL
);
CREATE INDEX progress_records_okr ON progress_records(okr_id, modify_time);
CREATE INDEX progress_records_target ON progress_records(target_id, modify_time);
