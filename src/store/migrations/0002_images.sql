-- Images uploaded for progress-record galleries. The bytes live on disk (IMAGE_DIR), named by file_token.
CREATE TABLE images (
  file_token TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  -- 2 objective, 3 key result: what the image was uploaded for.
  target_type INTEGER NOT NULL CHECK (target_type IN (2, 3)),
  target_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_by TEXT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX images_tenant ON images(tenant_id);

-- Server-wide secrets shared by every okrd process on this database (e.g. the key that signs image URLs).
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
