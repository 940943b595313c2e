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
    # 2: locks with leases (who, where, since when), their history, and the change feed.
    """
    CREATE TABLE pasteup_lock (
        edition text NOT NULL REFERENCES pasteup_edition(name) ON DELETE CASCADE,
        kind text NOT NULL,
        key text NOT NULL,
        token uuid NOT NULL,
        holder text NOT NULL,
        host text NOT NULL,
        since timestamptz NOT NULL DEFAULT now(),
        renewed_at timestamptz NOT NULL DEFAULT now(),
        lease interval NOT NULL,
        PRIMARY KEY (edition, kind, key)
    );
    CREATE TABLE pasteup_lock_event (
        id bigserial PRIMARY KEY,
        edition text NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        event text NOT NULL CHECK (event IN ('take', 'release', 'expired', 'takeover')),
        holder text NOT NULL,
        host text NOT NULL,
        previous_holder text,
        previous_host text,
        at timestamptz NOT NULL DEFAULT now()
    );
    CREATE FUNCTION pasteup_notify_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('pasteup', json_build_object(
            'what', 'save', 'edition', NEW.edition, 'kind', NEW.kind, 'key', NEW.key,
            'version', NEW.version, 'by', NEW.saved_by)::text);
        RETURN NULL;
    END $$;
    CREATE TRIGGER pasteup_version_notify AFTER INSERT ON pasteup_version
        FOR EACH ROW EXECUTE FUNCTION pasteup_notify_version();
    CREATE FUNCTION pasteup_notify_lock() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE row pasteup_lock := COALESCE(NEW, OLD);
    BEGIN
        PERFORM pg_notify('pasteup', json_build_object(
            'what', CASE WHEN TG_OP = 'DELETE' THEN 'unlock' ELSE 'lock' END,
            'edition', row.edition, 'kind', row.kind, 'key', row.key,
            'by', row.holder, 'host', row.host)::text);
        RETURN NULL;
    END $$;
    CREATE TRIGGER pasteup_lock_notify AFTER INSERT OR DELETE OR UPDATE OF token ON pasteup_lock
        FOR EACH ROW EXECUTE FUNCTION pasteup_notify_lock();
    """,
    # 3: roles, enforced by the database: what each may change (docs/store.md, Roles).
    """
    DO $$
    DECLARE name text;
    BEGIN
        FOREACH name IN ARRAY ARRAY['pasteup_layout', 'pasteup_text', 'pasteup_proof',
                                    'pasteup_chief'] LOOP
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            END IF;
            EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', name);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', name);
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON pasteup_record, pasteup_version, '
                           'pasteup_conflict, pasteup_lock, pasteup_lock_event TO %I', name);
            EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', name);
        END LOOP;
    END $$;
    GRANT INSERT ON pasteup_edition, pasteup_blob TO pasteup_layout, pasteup_chief;
    GRANT INSERT, DELETE ON pasteup_file TO pasteup_layout, pasteup_chief;

    -- Who may change which record: a proofreader adds marks (proof) and moves a page between
    -- proof rounds (status) but changes no layout; only a chief editor signs off.
    CREATE FUNCTION pasteup_may_write(kind text) RETURNS boolean LANGUAGE sql STABLE AS $f$
        SELECT pg_has_role('pasteup_chief', 'MEMBER')
            OR (kind IN ('plan', 'page', 'status') AND pg_has_role('pasteup_layout', 'MEMBER'))
            OR (kind = 'story' AND pg_has_role('pasteup_text', 'MEMBER'))
            OR (kind IN ('proof', 'status') AND pg_has_role('pasteup_proof', 'MEMBER'))
    $f$;
    ALTER TABLE pasteup_record ENABLE ROW LEVEL SECURITY;
    CREATE POLICY pasteup_read ON pasteup_record FOR SELECT USING (true);
    CREATE POLICY pasteup_insert ON pasteup_record FOR INSERT
        WITH CHECK (pasteup_may_write(kind));
    CREATE POLICY pasteup_update ON pasteup_record FOR UPDATE
        USING (pasteup_may_write(kind)) WITH CHECK (pasteup_may_write(kind));
    CREATE POLICY pasteup_delete ON pasteup_record FOR DELETE USING (pasteup_may_write(kind));
    ALTER TABLE pasteup_version ENABLE ROW LEVEL SECURITY;
    CREATE POLICY pasteup_read ON pasteup_version FOR SELECT USING (true);
    CREATE POLICY pasteup_insert ON pasteup_version FOR INSERT
        WITH CHECK (pasteup_may_write(kind) AND saved_at >= now());

    CREATE FUNCTION pasteup_signoffs(body json) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
        SELECT count(*) FROM json_array_elements(COALESCE(body, '[]')) e
        WHERE e ->> 'stage' = '签版'
    $f$;
    CREATE FUNCTION pasteup_check_signoff() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.kind = 'status'
           AND pasteup_signoffs(NEW.body) > pasteup_signoffs(
               CASE WHEN TG_OP = 'UPDATE' THEN OLD.body END)
           AND NOT pg_has_role('pasteup_chief', 'MEMBER') THEN
            RAISE EXCEPTION '只有值班总编可以签版 (only a chief editor signs a page off)'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER pasteup_signoff BEFORE INSERT OR UPDATE ON pasteup_record
        FOR EACH ROW EXECUTE FUNCTION pasteup_check_signoff();
    -- The history too: a 签版 written only into a version row is refused the same way.
    CREATE FUNCTION pasteup_check_signoff_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.kind = 'status'
           AND pasteup_signoffs(NEW.body) > pasteup_signoffs((
               SELECT body FROM pasteup_version WHERE edition = NEW.edition AND kind = 'status'
               AND key = NEW.key AND version < NEW.version ORDER BY version DESC LIMIT 1))
           AND NOT pg_has_role('pasteup_chief', 'MEMBER') THEN
            RAISE EXCEPTION '只有值班总编可以签版 (only a chief editor signs a page off)'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER pasteup_signoff BEFORE INSERT ON pasteup_version
        FOR EACH ROW EXECUTE FUNCTION pasteup_check_signoff_version();
    """,
    # 4: a page's proof record is everyone's work — layout staff start a proof round, proofreaders
    # mark, text editors decide the marks they apply to their stories — but it carries the page's
    # sign-off (付印签发) too: only a chief editor writes a new one there, as in its stages.
    """
    CREATE OR REPLACE FUNCTION pasteup_may_write(kind text) RETURNS boolean LANGUAGE sql STABLE
    AS $f$
        SELECT pg_has_role('pasteup_chief', 'MEMBER')
            OR (kind IN ('plan', 'page', 'status', 'proof')
                AND pg_has_role('pasteup_layout', 'MEMBER'))
            OR (kind IN ('story', 'proof') AND pg_has_role('pasteup_text', 'MEMBER'))
            OR (kind IN ('proof', 'status') AND pg_has_role('pasteup_proof', 'MEMBER'))
    $f$;
    CREATE FUNCTION pasteup_signed(body json) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
        SELECT CASE WHEN json_typeof(body -> 'signed_off') = 'object'
                    THEN (body -> 'signed_off')::jsonb END
    $f$;
    CREATE FUNCTION pasteup_check_proof_signoff() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE before json;
    BEGIN
        IF NEW.kind <> 'proof' OR NEW.body IS NULL OR pasteup_signed(NEW.body) IS NULL
           OR pg_has_role('pasteup_chief', 'MEMBER') THEN
            RETURN NEW;
        END IF;
        IF TG_TABLE_NAME = 'pasteup_record' THEN
            before := CASE WHEN TG_OP = 'UPDATE' THEN OLD.body END;
        ELSE
            SELECT body INTO before FROM pasteup_version WHERE edition = NEW.edition
                AND kind = 'proof' AND key = NEW.key AND version < NEW.version
                ORDER BY version DESC LIMIT 1;
        END IF;
        IF pasteup_signed(NEW.body) IS DISTINCT FROM pasteup_signed(before) THEN
            RAISE EXCEPTION '只有值班总编可以签版 (only a chief editor signs a page off)'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER pasteup_proof_signoff BEFORE INSERT OR UPDATE ON pasteup_record
        FOR EACH ROW EXECUTE FUNCTION pasteup_check_proof_signoff();
    CREATE TRIGGER pasteup_proof_signoff BEFORE INSERT ON pasteup_version
        FOR EACH ROW EXECUTE FUNCTION pasteup_check_proof_signoff();
    -- a conflict copy re-applied on a newer version: the version it became
    ALTER TABLE pasteup_conflict ADD COLUMN applied integer;
    """,
)
