// The kinds of body a department (tenant) can be: the one list the API, the seed and the console use.

export const DEPARTMENT_KINDS = [
  'party', // 党委机关 — party committees and their departments (纪委监委, 组织部 …)
  'government', // 政府部门 — people's government offices, bureaus and commissions
  'people_congress', // 人大 — people's congress standing committee
  'cppcc', // 政协 — Chinese People's Political Consultative Conference committee
  'court', // 法院
  'procuratorate', // 检察院
  'mass_org', // 群团 — trade union, youth league, women's federation …
  'public_institution', // 事业单位 — hospitals, schools, service centres
  'enterprise', // 国企 — state-owned enterprises
  'media', // 媒体 — newspaper, radio and television
] as const;

export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** Chinese labels, for the console and demo data. */
export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = {
  party: '党委机关',
  government: '政府部门',
  people_congress: '人大',
  cppcc: '政协',
  court: '法院',
  procuratorate: '检察院',
  mass_org: '群团组织',
  public_institution: '事业单位',
  enterprise: '国有企业',
  media: '新闻媒体',
};

export function isDepartmentKind(value: string): value is DepartmentKind {
  return (DEPARTMENT_KINDS as readonly string[]).includes(value);
}

/**
 * The customary order of bodies in a directory (党委 → 人大 → 政府 → 政协 → 法院 → 检察院 → 群团 → 事业单位 → 媒体 → 国企).
 * The database computes the same rank in the generated column department.kind_rank (migration 0007).
 */
export const DEPARTMENT_KIND_RANK: Record<DepartmentKind, number> = {
  party: 1,
  people_congress: 2,
  government: 3,
  cppcc: 4,
  court: 5,
  procuratorate: 6,
  mass_org: 7,
  public_institution: 8,
  media: 9,
  enterprise: 10,
};
