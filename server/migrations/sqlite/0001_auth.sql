-- Users, credentials, sessions and one-time verification tokens.
-- Times are Unix milliseconds (INTEGER) so that the same Rust code reads both backends.
CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    -- Stored trimmed and lower-cased; the unique index is what makes one account per address
    -- hold under concurrent sign-ups.
    email          TEXT NOT NULL,
    email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
    image          TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id   TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    password_hash TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_provider_account_key ON accounts (provider_id, account_id);
CREATE INDEX accounts_user_id_idx ON accounts (user_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    token       TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    ip_address  TEXT,
    user_agent  TEXT
);
CREATE UNIQUE INDEX sessions_token_key ON sessions (token);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE verifications (
    id          TEXT PRIMARY KEY NOT NULL,
    -- What the token is for and for whom, e.g. `reset-password:<user id>`.
    identifier  TEXT NOT NULL,
    -- SHA-256 of the token, hex: the token itself is never stored.
    value       TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX verifications_value_key ON verifications (value);
CREATE INDEX verifications_identifier_idx ON verifications (identifier);

-- Fixed-window rate-limit counters shared by replicas that use one database.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY NOT NULL,
    count        INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);
