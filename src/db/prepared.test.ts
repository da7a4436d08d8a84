// Fixed statements: built once from Kysely helpers, their parameters named, run prepared on PostgreSQL.
import { Kysely, sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { testDb } from '../../test/support/db.ts';
import { postgresDialect } from './database.ts';
import type { Database } from './schema.ts';
import { fixedStatement, runFixed } from './prepared.ts';

describe('fixedStatement', () => {
  it('maps each $n of the text to its input, however often an input recurs, and runs with the values of each call', async () => {
    const { db } = await testDb();
    const statement = fixedStatement(db, 'test.prepared.echo', ['a', 'b'], (input) => sql`SELECT ${input('b')}::text AS b, ${input('a')}::int + ${input('a')}::int AS twice`);
    expect(statement.text).toBe('SELECT $1::text AS b, $2::int + $3::int AS twice');
    expect(statement.values({ a: 4, b: 'x' })).toEqual(['x', 4, 4]);
    // several calls on the same statement name (prepared once per connection on PostgreSQL), each with its own values
    for (let i = 0; i < 8; i++) {
      expect(await runFixed<{ b: string; twice: number }, 'a' | 'b'>(db, statement, { a: i, b: `v${i}` })).toEqual([{ b: `v${i}`, twice: 2 * i }]);
    }
    const calls = await Promise.all(Array.from({ length: 12 }, (_, i) => runFixed<{ b: string; twice: number }, 'a' | 'b'>(db, statement, { a: i, b: `w${i}` })));
    expect(calls.map((rows) => rows[0]!.twice)).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i));
  });

  it('refuses a statement with a parameter that is not one of its inputs (its text would not be fixed)', async () => {
    const { db } = await testDb();
    expect(() => fixedStatement(db, 'test.prepared.constant', ['a'], (input) => sql`SELECT ${input('a')}::int + ${5}::int AS n`)).toThrow(/parameter \$2 is not one of its inputs/);
  });

  it('runs on PostgreSQL as a named statement of the connection, prepared once', async () => {
    const url = inject('testDatabaseUrl');
    if (!url) return; // PGlite: a parameterised query, covered above
    const db = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
    try {
      const statement = fixedStatement(db, 'test.prepared.named', ['a'], (input) => sql`SELECT ${input('a')}::int AS a`);
      for (let i = 0; i < 3; i++) expect(await runFixed(db, statement, { a: i })).toEqual([{ a: i }]);
      // the pool's one connection holds the statement (one row however many calls); a plain Kysely query sees it
      const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name = 'test.prepared.named'`.execute(db);
      expect(rows).toEqual([{ statement: statement.text }]);
    } finally {
      await db.destroy();
    }
  });

  it('runs prepared in a transaction too, on the transaction\'s connection, and rolls back with it', async () => {
    const url = inject('testDatabaseUrl');
    if (!url) return;
    const db = new Kysely<Database>({ dialect: postgresDialect(url, 2) });
    try {
      const statement = fixedStatement(db, 'test.prepared.in_trx', ['a'], (input) => sql`SELECT ${input('a')}::int + 1 AS a, pg_backend_pid() AS pid`);
      const seen = await db.transaction().execute(async (trx) => {
        const { pid } = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx)).rows[0]!;
        expect(await runFixed(trx, statement, { a: 1 })).toEqual([{ a: 2, pid }]);
        return (await sql<{ name: string }>`SELECT name FROM pg_prepared_statements WHERE name = 'test.prepared.in_trx'`.execute(trx)).rows;
      });
      expect(seen).toEqual([{ name: 'test.prepared.in_trx' }]);
      // one name, one text: another text under the same name is refused before it reaches a connection
      expect(() => fixedStatement(db, 'test.prepared.in_trx', ['a'], (input) => sql`SELECT ${input('a')}::int AS a`)).toThrow(/already stands for another text/);
    } finally {
      await db.destroy();
    }
  });
});
