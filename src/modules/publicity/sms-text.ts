// Which ledger events the applicant is told of by SMS, and with what: acceptance, 补正 (with what to supply) and
// conclusion (with the result). Pure, so the choice is tested without a database.
import type { CaseForSms } from './repository.ts';
import type { ApplicantSmsKind } from './tables.ts';

export interface ApplicantMessage {
  kind: ApplicantSmsKind;
  template: string;
  vars: Record<string, string>;
}

/** Long values are cut so that one message stays within a few segments. */
const cut = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text);

const PAUSE_ACTIONS = new Set(['pause', 'correction', 'request_correction', 'supplement']);

/** What 补正 asks for: the event's list of materials, else its reason, else the open pause's reason. */
function correctionAsks(event: CaseForSms): string | null {
  const materials = event.detail.materials;
  if (Array.isArray(materials) && materials.length > 0) return materials.map(String).join('、');
  for (const value of [event.detail.reason, event.note, event.correction_reason]) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
}

export function applicantSms(event: CaseForSms): ApplicantMessage | null {
  const base = { name: cut(event.applicant_name, 20), item: cut(event.item, 30), caseNo: event.case_no };
  if (event.to_state === 'accepted' && event.from_state !== 'accepted') {
    return { kind: 'accepted', template: 'approval.accepted', vars: { ...base, days: String(event.promised_days) } };
  }
  if (event.to_state === 'concluded' && event.from_state !== 'concluded') {
    const result = event.decision === 'approve' ? '准予办理' : event.decision === 'deny' ? '不予办理' : '已办结';
    return { kind: 'concluded', template: 'approval.concluded', vars: { ...base, result } };
  }
  const kind = event.detail.kind;
  if (PAUSE_ACTIONS.has(event.action) && (kind === 'correction' || (kind === undefined && event.correction_reason !== null))) {
    return { kind: 'correction', template: 'approval.correction', vars: { ...base, materials: cut(correctionAsks(event) ?? '请联系受理窗口了解所需材料', 60) } };
  }
  return null;
}
