// Enumerations of the OA module (pure: the console imports them too).
import type { Role } from '../../shared/access.ts';

/** 通知公告 (notice) or 公文 (official document). */
export const OA_KINDS = ['notice', 'official'] as const;
export type OaKind = (typeof OA_KINDS)[number];
/** 平件 / 急件 / 特急. */
export const OA_URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;
export type OaUrgency = (typeof OA_URGENCIES)[number];
/** 公开 / 内部: classified documents (秘密 and above) never go through this system. */
export const OA_MARKINGS = ['public', 'internal'] as const;
export type OaMarking = (typeof OA_MARKINGS)[number];
/** draft → sent → archived; sent → withdrawn while nobody has signed. */
export const OA_STATUSES = ['draft', 'sent', 'withdrawn', 'archived'] as const;
export type OaStatus = (typeof OA_STATUSES)[number];

/** What the caller may do with a document (row abilities). */
export const DOCUMENT_ABILITIES = ['edit', 'send', 'attach', 'withdraw', 'archive', 'supersede', 'sign', 'receipts'] as const;
export type DocumentAbility = (typeof DOCUMENT_ABILITIES)[number];

/** Who a document goes to, as the sender chose it; resolved into receipts when it is sent. */
export interface RecipientSpec {
  departments: { id: string; withSubDepartments: boolean }[];
  /** Region codes: every department bound to a region in the subtree. */
  regions: string[];
  /** Every active user holding the role over a region inside the sender's scope. */
  roles: Role[];
}

export const KIND_LABELS: Record<OaKind, { zh: string; en: string }> = { notice: { zh: '通知公告', en: 'Notice' }, official: { zh: '公文', en: 'Official document' } };
export const URGENCY_LABELS: Record<OaUrgency, { zh: string; en: string }> = {
  normal: { zh: '平件', en: 'Normal' },
  urgent: { zh: '急件', en: 'Urgent' },
  very_urgent: { zh: '特急', en: 'Very urgent' },
};
export const MARKING_LABELS: Record<OaMarking, { zh: string; en: string }> = { public: { zh: '公开', en: 'Public' }, internal: { zh: '内部', en: 'Internal' } };
export const STATUS_LABELS: Record<OaStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  sent: { zh: '已发送', en: 'Sent' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  archived: { zh: '已归档', en: 'Archived' },
};

/** The year in a 文号's 〔YYYY〕 (or [YYYY]) part, e.g. 哈政办发〔2026〕12号 → 2026; null when it has none. */
export function numberYear(number: string): number | null {
  const m = /[〔[（(](\d{4})[〕\]）)]/.exec(number);
  return m ? Number(m[1]) : null;
}
