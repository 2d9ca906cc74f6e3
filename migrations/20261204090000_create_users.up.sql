CREATE TABLE users (
    id {{.ID}} PRIMARY KEY,
    github_id {{.BigInt}} NOT NULL UNIQUE,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    avatar_url TEXT,
    created_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at {{.Time}} NOT NULL DEFAULT CURRENT_TIMESTAMP
);
