-- OKR v2 (spec §4): categories, indicators and comments. Objectives, key results, alignments and progress records
-- are the v1 tables (one model, decisions.md OQ-12).

-- Categories of objectives (spec §4.2), per tenant, named in Chinese, English and Japanese.
CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  -- 'person' or 'team' (decisions.md OQ-4).
  category_type TEXT NOT NULL CHECK (category_type IN ('person', 'team')),
  enabled INTEGER NOT NULL DEFAULT 1,
  color TEXT NOT NULL,
  name_zh TEXT NOT NULL DEFAULT '',
  name_en TEXT NOT NULL DEFAULT '',
  name_ja TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX categories_tenant ON categories(tenant_id, created_at);

-- The indicator of an objective (2) or key result (3): one each, from its creation (decisions.md OQ-31). Values that
-- depend on other rows or on the time (calculate types 1 and 2) are computed when read, never stored.
CREATE TABLE indicators (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  entity_type INTEGER NOT NULL CHECK (entity_type IN (2, 3)),
  entity_id TEXT NOT NULL,
  -- -1 undefined, 0 normal, 1 at risk, 2 delayed: the manual status (status_calculate_type 0).
  indicator_status INTEGER NOT NULL DEFAULT -1,
  status_calculate_type INTEGER NOT NULL DEFAULT 0,
  start_value DOUBLE PRECISION,
  target_value DOUBLE PRECISION,
  current_value DOUBLE PRECISION,
  current_value_calculate_type INTEGER NOT NULL DEFAULT 0,
  -- 0 public (PERCENT, NONE, YUAN, DOLLAR), 1 custom (up to 5 characters).
  unit_type INTEGER NOT NULL DEFAULT 0,
  unit_value TEXT NOT NULL DEFAULT 'NONE',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (entity_type, entity_id)
);
CREATE INDEX indicators_tenant ON indicators(tenant_id);
-- Objectives and key results made before indicators existed get theirs now; having no id source here, each takes its
-- entity's id (unique among indicators, as each entity has one).
INSERT INTO indicators (id, tenant_id, entity_type, entity_id, created_at, updated_at)
  SELECT id, tenant_id, 2, id, created_at, created_at FROM objectives;
INSERT INTO indicators (id, tenant_id, entity_type, entity_id, created_at, updated_at)
  SELECT id, tenant_id, 3, id, created_at, created_at FROM key_results;

-- Comments (spec §4.8) on cycles, objectives, key results and progress records. A comment with selected_text starts
-- a selection thread; replies name ref_comment_id; solve and reopen act on the whole thread (thread_id = its first).
CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  target_type TEXT NOT NULL CHECK (target_type IN ('cycle', 'progress', 'objective', 'key_result')),
  target_id TEXT NOT NULL,
  -- The cycle (OKR) the target belongs to: who may read it, and what deleting it removes.
  okr_id TEXT NOT NULL REFERENCES okrs(id),
  thread_id TEXT NOT NULL,
  ref_comment_id TEXT REFERENCES comments(id),
  commentator_id TEXT NOT NULL REFERENCES users(id),
  content TEXT NOT NULL,
  selection_id TEXT,
  selected_text TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'solved')),
  solver_id TEXT REFERENCES users(id),
  solved_time BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX comments_target ON comments(target_id, created_at);
CREATE INDEX comments_thread ON comments(thread_id);
CREATE INDEX comments_okr ON comments(okr_id);
