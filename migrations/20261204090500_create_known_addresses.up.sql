CREATE TABLE known_addresses (
    id {{.ID}} PRIMARY KEY,
    project_id {{.ID}} NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    address TEXT NOT NULL,
    description TEXT,
    created_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_known_addresses_project_id ON known_addresses (project_id, id);
