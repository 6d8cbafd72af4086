-- Accounts, sessions, login throttling, derived roles and the hash-chained audit log.
-- Times are unix seconds (INTEGER) where the server compares them, ISO text
-- where people read them.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,            -- lower-case ASCII: a-z 0-9 . _ -
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'office', 'council', 'unit')),
    unit_id INTEGER REFERENCES units(id),  -- the unit of a unit officer
    email TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,           -- Argon2id, crypto_pwhash_str
    password_changed_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    totp_secret TEXT,                      -- base32; set while enrolling, used once enabled
    totp_enabled INTEGER NOT NULL DEFAULT 0,
    totp_last_step INTEGER NOT NULL DEFAULT 0, -- refuses a code used twice
    totp_pending_at INTEGER,                 -- when the pending secret was made (15 min to confirm)
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((role = 'unit') = (unit_id IS NOT NULL))
) STRICT;

CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- A session is known by the hash of its token only: a copy of the database
-- gives no one a way in. stage 'mfa' = password checked, second factor due.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    stage TEXT NOT NULL CHECK (stage IN ('mfa', 'full')),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,           -- absolute end
    client TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per key ("u:login", "a:address"): a growing wait after repeats.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL,
    last_failure INTEGER NOT NULL
) STRICT;

-- seq is contiguous (each entry takes the last seq + 1 under the write lock),
-- so a removed entry shows as a gap even before the hashes are checked.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    login TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT NOT NULL,
    client TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_user ON audit_log(login);
CREATE INDEX audit_at ON audit_log(at);

-- Derived roles: the officers of a unit hold a role over one scope for a
-- period — the head or deputy unit of an emulation group for a year (the
-- year-end conference elects them; features/scope.h reads them). valid_to is
-- exclusive, so a head for 2026 holds [2026-01-01, 2027-01-01) and loses the
-- rights when the year passes. scope_id names a row of the scope's table.
CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('group')),
    scope_id INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('head', 'deputy')),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (valid_to > valid_from)
) STRICT;
CREATE INDEX role_grants_unit ON role_grants(unit_id, scope_kind, scope_id);
