"""The team store's schema, as numbered migrations (`pasteup db init URL` applies the missing ones).

A migration is never edited once released: a change to the schema is a new one at the end.
`pasteup_migrations` records which have run, so `db init` on a current database does nothing.
"""

from __future__ import annotations

# Records are `json`, not `jsonb`: json keeps the text as written, so the order of keys (a page's
# credits, its styles) and a pulled folder's bytes come back exactly as pushed.
MIGRATIONS: tuple[str, ...] = (
    # 1: editions, records and every version of them, pictures once by SHA-256.
    """
    CREATE TABLE pasteup_edition (
        name text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE pasteup_record (
        edition text NOT NULL REFERENCES pasteup_edition(name) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('plan', 'status', 'page', 'proof', 'story')),
        key text NOT NULL,
        version integer NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (edition, kind, key)
    );
    CREATE TABLE pasteup_version (
        edition text NOT NULL REFERENCES pasteup_edition(name) ON DELETE CASCADE,
        kind text NOT NULL,
        key text NOT NULL,
        version integer NOT NULL,
        body json,  -- NULL: the record was removed in this version
        saved_by text NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now(),
        summary text NOT NULL DEFAULT '',
        PRIMARY KEY (edition, kind, key, version)
    );
    CREATE TABLE pasteup_conflict (
        id bigserial PRIMARY KEY,
        edition text NOT NULL REFERENCES pasteup_edition(name) ON DELETE CASCADE,
        kind text NOT NULL,
        key text NOT NULL,
        base integer NOT NULL,
        body json,
        saved_by text NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE pasteup_blob (
        sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        data bytea NOT NULL
    );
    CREATE TABLE pasteup_file (
        edition text NOT NULL REFERENCES pasteup_edition(name) ON DELETE CASCADE,
        path text NOT NULL,
        sha256 text NOT NULL REFERENCES pasteup_blob(sha256),
        PRIMARY KEY (edition, path)
    );
    """,
)
