-- Reviews (spec §3.13): the documents a user wrote about a period. `cycle_review` is a review document of the
-- whole period, `progress_report` a progress report within it; both are links to documents kept elsewhere.
CREATE TABLE reviews (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  user_ref TEXT NOT NULL REFERENCES users(id),
  period_id TEXT NOT NULL REFERENCES periods(id),
  kind TEXT NOT NULL CHECK (kind IN ('cycle_review', 'progress_report')),
  url TEXT NOT NULL,
  create_time BIGINT NOT NULL
);
CREATE INDEX reviews_user_period ON reviews(user_ref, period_id, create_time);
