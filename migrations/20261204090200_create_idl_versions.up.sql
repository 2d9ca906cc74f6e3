CREATE TABLE idl_versions (
    id {{.ID}} PRIMARY KEY,
    project_id {{.ID}} NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    idl_json TEXT NOT NULL,
    cpi_md TEXT,
    docs_generated BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL CHECK (version >= 1),
    format TEXT NOT NULL CHECK (format IN ('ANCHOR_LEGACY', 'ANCHOR', 'CODAMA')),
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (project_id, version)
);

CREATE INDEX idx_idl_versions_created_at ON idl_versions (created_at);
