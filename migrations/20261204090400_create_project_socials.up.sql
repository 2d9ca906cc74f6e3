CREATE TABLE project_socials (
    id {{.ID}} PRIMARY KEY,
    project_id {{.ID}} NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
    twitter TEXT,
    discord TEXT,
    telegram TEXT,
    github TEXT,
    website TEXT,
    created_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP
);
