// Hot statements with a fixed shape run as named prepared statements on PostgreSQL: neither Kysely compiles their text
// nor PostgreSQL plans it on every call (D71 for the exchange lookup, D137 for the progress lookup, D149 for the
// one-case re-evaluation, which runs in its caller's transaction).
import { CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import { preparedStatement } from './database.ts';
import type { Database } from './schema.ts';

/** A statement's text with its parameters named: `values(inputs)` lists them in the text's $n order. */
export interface FixedStatement<K extends string> {
  name: string;
  text: string;
  values(inputs: Readonly<Record<K, unknown>>): unknown[];
}

/**
 * Compiles `build` once, with a sentinel in place of each named input, and records which input each `$n` of the
 * text stands for — so a statement may be built from shared Kysely helpers (overdueSql …) and still be fixed text.
 * Every parameter must be one of the inputs: a constant value would be a sign the text is not fixed. `input(key)` is
 * typed as whatever the helper it is handed to expects (a date, a string array): only its identity matters.
 */
export function fixedStatement<K extends string>(db: Kysely<Database>, name: string, inputs: readonly K[], build: (input: <T = string>(key: K) => T) => RawBuilder<unknown>): FixedStatement<K> {
  const sentinel = (key: K) => `\u0000fixed:${key}`;
  const compiled = build(<T,>(key: K) => sentinel(key) as T).compile(db);
  const order = compiled.parameters.map((value, i) => {
    const key = inputs.find((k) => sentinel(k) === value);
    if (key === undefined) throw new Error(`Statement ${name}: parameter $${i + 1} is not one of its inputs.`);
    return key;
  });
  preparedStatement(name, compiled.sql);
  return { name, text: compiled.sql, values: (given) => order.map((key) => given[key]) };
}

/**
 * Runs a fixed statement on `db` — a pool or a transaction: on PostgreSQL prepared once per connection (by its name)
 * and executed after, on PGlite as a parameterised query (it plans in-process, without a round trip to save).
 */
export async function runFixed<R, K extends string>(db: Kysely<Database>, statement: FixedStatement<K>, inputs: Readonly<Record<K, unknown>>): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(statement.text, statement.values(inputs)))).rows;
}

/** Runs `text` with `values` as the named prepared statement `name` on PostgreSQL, or as a plain query on PGlite. */
export async function runPrepared<R>(db: Kysely<Database>, name: string, text: string, values: unknown[]): Promise<R[]> {
  preparedStatement(name, text);
  return (await db.executeQuery<R>(CompiledQuery.raw(text, values))).rows;
}
