// 统一社会信用代码 (unified social credit code, GB 32100-2015): structural validation and check-character generation.
// Pure: the server (departments) and the console (department form) run this same check.

/** The 31 characters a credit code may use: digits and upper-case letters except I, O, Z, S, V. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const VALUE = new Map([...CREDIT_CODE_CHARSET].map((c, i) => [c, i]));

/** Which rule a code broke, with the facts a message needs (the console words it from `validation.<rule>`). */
export type CreditCodeRule = 'creditCodeLength' | 'creditCodeCase' | 'creditCodeIOZSV' | 'creditCodeChar' | 'creditCodeDivision' | 'creditCodeCheck';

export type CreditCodeCheck = { ok: true } | { ok: false; rule: CreditCodeRule; params: Record<string, string | number>; reason: string };

/**
 * The check character (position 18) for the first 17 characters: 31 − (Σ valueᵢ·weightᵢ mod 31), where 31 maps to '0'.
 * Throws on a character outside the charset; callers validate first.
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('creditCodeCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = VALUE.get(first17[i]!);
    if (value === undefined) throw new RangeError(`"${first17[i]}" is not a credit-code character`);
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a code as printed on a licence: exactly 18 characters from the charset, positions 3–8 a 6-digit division
 * code, position 18 the GB 32100 check character.
 *
 * Strict about case: lower-case letters are rejected (with a reason saying so), not normalised. The code is an
 * identifier that is compared and indexed as stored, and the licence shows it in upper case; silently rewriting input
 * would hide client bugs and make the stored value differ from what was sent. Clients upper-case before sending.
 *
 * Positions 1–2 (registration authority, organisation category) are only checked against the charset: the list of
 * authorities has grown since 2015 (工会 8, 宗教 7, 农业 N …) and a closed list would reject real codes.
 * Positions 9–17 (the organisation-code body) are not checked against GB 11714: the credit-code check already covers them.
 */
export function validateCreditCode(code: string): CreditCodeCheck {
  if (code.length !== 18) return { ok: false, rule: 'creditCodeLength', params: { n: code.length }, reason: `A credit code has 18 characters; this one has ${code.length}.` };
  if (/[a-z]/.test(code)) return { ok: false, rule: 'creditCodeCase', params: {}, reason: 'Letters in a credit code must be upper case.' };
  for (let i = 0; i < 18; i++) {
    const c = code[i]!;
    if (!VALUE.has(c)) {
      const never = /[IOZSV]/.test(c);
      const why = never ? ' (I, O, Z, S and V are never used)' : '';
      return { ok: false, rule: never ? 'creditCodeIOZSV' : 'creditCodeChar', params: { pos: i + 1, c }, reason: `Character ${i + 1} "${c}" is not allowed in a credit code${why}.` };
    }
  }
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) {
    return { ok: false, rule: 'creditCodeDivision', params: {}, reason: 'Characters 3–8 must be the 6-digit administrative division code.' };
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) {
    return { ok: false, rule: 'creditCodeCheck', params: { expected, got: code[17]! }, reason: `The check character is wrong: expected ${expected}, got ${code[17]}.` };
  }
  return { ok: true };
}

/** Registration authority + organisation category (positions 1–2) for the kinds of body the platform hosts. */
export const CREDIT_CODE_REGISTRATION = {
  /** 机构编制 · 机关 — party and state organs, courts, procuratorates, people's congress, CPPCC */
  organ: '11',
  /** 机构编制 · 事业单位 — public institutions, state media */
  publicInstitution: '12',
  /** 机构编制 · 群众团体 — mass organisations run on the establishment (团委, 妇联, 科协 …) */
  massOrganisation: '13',
  /** 工会 · 基层工会 */
  tradeUnion: '81',
  /** 工商 · 企业 */
  enterprise: '91',
} as const;

/** GB 11714 organisation code: 8 body characters plus its mod-11 check ('X' for 10, '0' for 11). */
export function organisationCodeFor(body8: string): string {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{8}$/.test(body8)) throw new RangeError('organisationCodeFor needs 8 credit-code characters');
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const value = (c: string): number => (c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55);
  const sum = [...body8].reduce((acc, c, i) => acc + value(c) * weights[i]!, 0);
  const check = 11 - (sum % 11);
  return body8 + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/**
 * Builds a code with a correct check character — for demo data and tests, never to "fix" a code someone typed.
 * `registration` is positions 1–2 (see CREDIT_CODE_REGISTRATION), `division` the region code (its first 6 digits,
 * a 4-digit prefecture padded: '6505' → '650500'), `body` the 9-character organisation code (see organisationCodeFor).
 */
export function creditCodeFor(input: { registration: string; division: string; body: string }): string {
  const division = input.division.slice(0, 6).padEnd(6, '0');
  const first17 = `${input.registration}${division}${input.body}`;
  if (first17.length !== 17) throw new RangeError('creditCodeFor needs a 2-character registration and a 9-character body');
  return first17 + creditCodeCheckChar(first17);
}
