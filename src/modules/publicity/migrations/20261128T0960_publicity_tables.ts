// Public channels (issue 9 §7): the ledger of SMS sent to applicants — one row per (case, ledger seq), so a
// redelivered CaseChanged event never sends twice — the SMS templates those messages use (editable in the SMS
// console afterwards), the per-address count of lookups that found nothing, and an index for the big screen's "accepted today" counts.
import { sql, type Kysely } from 'kysely';

const TEMPLATES: [code: string, name: string, body: string, variables: string[]][] = [
  ['approval.accepted', '办件受理通知', '【哈密政务服务】{name}，您申请的“{item}”已受理，办件编号{caseNo}，承诺{days}个工作日内办结。凭办件编号可在政务服务网查询进度。', ['name', 'item', 'caseNo', 'days']],
  ['approval.correction', '办件补正通知', '【哈密政务服务】{name}，您申请的“{item}”（{caseNo}）需补正：{materials}。补正期间不计办理时限，请尽快补交。', ['name', 'item', 'caseNo', 'materials']],
  ['approval.concluded', '办件办结通知', '【哈密政务服务】{name}，您申请的“{item}”（{caseNo}）已办结，结果：{result}。欢迎对本次服务作出评价。', ['name', 'item', 'caseNo', 'result']],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE publicity_sms_sent (
      case_id     uuid NOT NULL REFERENCES approval_case(id) ON DELETE CASCADE,
      seq         integer NOT NULL,
      kind        varchar(16) NOT NULL CHECK (kind IN ('accepted', 'correction', 'concluded')),
      message_id  uuid,
      sent_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, seq)
    )
  `.execute(db);
  // progress lookups that found nothing, per client address, in a sliding 15-minute window (captcha after a few)
  await sql`
    CREATE TABLE publicity_lookup_miss (
      address       varchar(64) PRIMARY KEY,
      misses        integer NOT NULL,
      window_start  timestamptz NOT NULL
    )
  `.execute(db);
  // the big screen counts today's acceptances by county (concluded_on has its own partial index already)
  await sql`CREATE INDEX publicity_case_accepted_on ON approval_case (accepted_on) WHERE accepted_on IS NOT NULL`.execute(db);
  for (const [code, name, body, variables] of TEMPLATES) {
    await sql`INSERT INTO sms_template (code, name, body, variables) VALUES (${code}, ${name}, ${body}, ${variables}) ON CONFLICT (code) DO NOTHING`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS publicity_case_accepted_on`.execute(db);
  await sql`DROP TABLE IF EXISTS publicity_lookup_miss`.execute(db);
  await sql`DROP TABLE IF EXISTS publicity_sms_sent`.execute(db);
  await sql`DELETE FROM sms_template WHERE code IN ('approval.accepted', 'approval.correction', 'approval.concluded')`.execute(db);
}
