// The audit chain head gets the protection the log has: it can only advance, one linked record at a time.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_head can only advance: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END IF;
      -- an UPDATE must move the head one step, onto the record that links to the old head
      IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
        SELECT 1 FROM audit_log l WHERE l.seq = NEW.seq AND l.hash = NEW.hash AND l.prev_hash = OLD.hash
      ) THEN
        RAISE EXCEPTION 'audit_head can only advance to the next linked record (seq %, not %)', OLD.seq + 1, NEW.seq
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END;
    $$
  `,
  `
    CREATE TRIGGER audit_head_no_rewrite BEFORE INSERT OR UPDATE OR DELETE ON audit_head
      FOR EACH ROW EXECUTE FUNCTION audit_head_guard()
  `,
  `
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
      FOR EACH STATEMENT EXECUTE FUNCTION audit_head_guard()
  `,
  `
    CREATE FUNCTION audit_log_links_to_head() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      head audit_head%ROWTYPE;
    BEGIN
      -- the lock serialises raw inserts as it serialises the application's appends
      SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
      IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
        RAISE EXCEPTION 'audit_log accepts only the next record after the head (seq %, prev_hash %)', head.seq + 1, head.hash
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END;
    $$
  `,
  `
    CREATE TRIGGER audit_log_append_at_head BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_links_to_head()
  `,
  `
    CREATE FUNCTION audit_log_head_advanced() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- at commit, a record the head does not cover would block every later append: refuse it
      IF NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1 AND seq >= NEW.seq) THEN
        RAISE EXCEPTION 'audit_log record % was inserted without advancing audit_head', NEW.seq
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NULL;
    END;
    $$
  `,
  `
    CREATE CONSTRAINT TRIGGER audit_log_head_follows AFTER INSERT ON audit_log
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_log_head_advanced()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TRIGGER IF EXISTS audit_log_head_follows ON audit_log').execute(db);
  await sql.raw('DROP TRIGGER IF EXISTS audit_log_append_at_head ON audit_log').execute(db);
  await sql.raw('DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head').execute(db);
  await sql.raw('DROP TRIGGER IF EXISTS audit_head_no_rewrite ON audit_head').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS audit_log_head_advanced()').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS audit_log_links_to_head()').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS audit_head_guard()').execute(db);
}
