CREATE TABLE api_keys (
    id {{.ID}} PRIMARY KEY,
    project_id {{.ID}} NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    last_used {{.Time}},
    created_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at {{.Time}}
);

CREATE INDEX idx_api_keys_project_id ON api_keys (project_id);
