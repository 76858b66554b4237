-- `okrd pull` (decisions OQ-41): the Feishu-compatible source a tenant was pulled from and the state of its latest
-- pull, and every row each pull saw. A pull that stopped (network, Ctrl-C, kill -9) resumes its run, skipping the
-- units it finished; a finished run's successor removes the rows the source no longer holds.
CREATE TABLE pull_sources (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  source_url TEXT NOT NULL,
  app_id TEXT NOT NULL,
  -- 1 for the first pull, +1 for each later one; an unfinished run is resumed under the same number.
  run INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  -- The last finished run's summary (JSON), as `okrd pull --json` printed it.
  summary TEXT
);

-- kind is a table name (the row id seen at the source in run `run`) or 'task' (a unit of work finished in `run`).
CREATE TABLE pull_marks (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  run INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, kind, id)
);
