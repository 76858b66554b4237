-- Rate-limit counters of RATE_LIMIT_STORE=database, shared by every okrd process on the database.
-- One row per bucket (app and endpoint) holding the count of its current one-minute window; the next window
-- reuses the row, so the table holds at most one row per app and endpoint and never grows with time.
CREATE TABLE rate_limit_counters (
  -- "<app_id> <METHOD> <route pattern>", e.g. "cli_a1b2 GET /open-apis/okr/v1/periods".
  bucket TEXT PRIMARY KEY,
  -- Epoch milliseconds at which the counted window began (a multiple of 60000).
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL
);
