-- Team OKRs (decisions.md OQ-34): a cycle is owned by a user or by a department.
ALTER TABLE okrs ALTER COLUMN owner_id DROP NOT NULL;
ALTER TABLE okrs ADD COLUMN department_id TEXT REFERENCES departments(id);
ALTER TABLE okrs ADD CONSTRAINT okrs_one_owner CHECK ((owner_id IS NULL) <> (department_id IS NULL));
ALTER TABLE okrs ADD CONSTRAINT okrs_department_period UNIQUE (department_id, period_id);
