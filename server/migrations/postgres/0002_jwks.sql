-- JWT signing keys. `private_key` is encrypted under a key derived from the server secret.
CREATE TABLE jwks (
    id          TEXT PRIMARY KEY NOT NULL,
    public_key  TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    -- Set when a newer key took over signing; the key is still published for the grace period.
    retired_at  BIGINT
);
-- Exactly one key may be active (not retired) at a time; racing creators collide here.
CREATE UNIQUE INDEX jwks_one_active ON jwks ((retired_at IS NULL)) WHERE retired_at IS NULL;
