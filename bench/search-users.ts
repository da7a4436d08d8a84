// Many accounts fast, for the user-search bench and its test: one INSERT … SELECT over generate_series, with
// pinyin user names and Chinese display names drawn from short lists (so searches hit some rows, not all).
import { sql, type Kysely } from 'kysely';
import { USER_SEARCH_INDEXES } from '../src/db/migrations/0004_user_search.ts';
import type { Database } from '../src/db/schema.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const SURNAMES_LATIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'luo', 'gao'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '萍', '红', '建', '文', '辉'];
const GIVEN_LATIN = ['wei', 'fang', 'na', 'min', 'jing', 'li', 'qiang', 'lei', 'jun', 'yang', 'yong', 'yan', 'jie', 'juan', 'tao', 'ming', 'chao', 'xiu', 'xia', 'ping', 'gang', 'gui', 'ying', 'hua', 'yu', 'ping', 'hong', 'jian', 'wen', 'hui'];

/**
 * Inserts `count` staff accounts (user names `<prefix><pinyin><n>`) into one department; returns how many. The
 * trigram indexes are rebuilt afterwards rather than maintained row by row (run it in a transaction or offline).
 */
export async function seedSearchUsers(db: Kysely<Database>, input: { count: number; departmentId: string; regionCode: string; prefix: string }): Promise<number> {
  await sql.raw(`DROP INDEX ${Object.keys(USER_SEARCH_INDEXES).join(', ')}`).execute(db);
  const result = await sql`
    INSERT INTO app_user (username, display_name, kind, department_id, region_code)
    SELECT ${input.prefix} || (${SURNAMES_LATIN}::text[])[1 + g % 20] || (${GIVEN_LATIN}::text[])[1 + (g / 20) % 30] || g,
           (${SURNAMES}::text[])[1 + g % 20] || (${GIVEN}::text[])[1 + (g / 20) % 30] || (${GIVEN}::text[])[1 + (g / 600) % 30],
           'staff', ${input.departmentId}::uuid, ${input.regionCode}
    FROM generate_series(1, ${input.count}) AS g
  `.execute(db);
  for (const statement of Object.values(USER_SEARCH_INDEXES)) await sql.raw(statement).execute(db);
  await sql`ANALYZE`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
