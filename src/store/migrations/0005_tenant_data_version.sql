-- Counts the writes that change what a tenant's OKR reads return. Rendered OKRs are cached per process and keyed
-- by it, so a write through any okrd process on this database makes every process render afresh.
ALTER TABLE tenants ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
