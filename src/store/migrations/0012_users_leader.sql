-- The team view walks the leader chain downwards (who reports to this person?), one index lookup per level.
CREATE INDEX users_leader ON users(leader_id);
