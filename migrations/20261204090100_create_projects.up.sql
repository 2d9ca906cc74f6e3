CREATE TABLE projects (
    id {{.ID}} PRIMARY KEY,
    user_id {{.ID}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    program_id TEXT NOT NULL,
    is_public BOOLEAN NOT NULL DEFAULT TRUE,
    custom_docs TEXT,
    created_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (user_id, program_id)
);

CREATE INDEX idx_projects_user_id ON projects (user_id, id);
CREATE INDEX idx_projects_program_id ON projects (program_id);
CREATE INDEX idx_projects_is_public ON projects (is_public, id);
