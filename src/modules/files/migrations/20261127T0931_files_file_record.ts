// File records: the metadata of each upload; the content lives in the blob store, named by its SHA-256.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE file_record (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      sha256        char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size          bigint NOT NULL CHECK (size >= 0),
      media_type    varchar(100) NOT NULL,
      original_name varchar(255) NOT NULL,
      use           varchar(50) NOT NULL,
      owner_kind    varchar(50) NOT NULL,
      owner_id      varchar(100) NOT NULL,
      uploaded_by   uuid REFERENCES app_user(id),
      created_at    timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX file_record_owner ON file_record (owner_kind, owner_id, created_at)`.execute(db);
  // the garbage collector's question: is any record still naming this blob?
  await sql`CREATE INDEX file_record_sha256 ON file_record (sha256)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS file_record`.execute(db);
}
