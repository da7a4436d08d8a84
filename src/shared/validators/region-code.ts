// Division codes (GB/T 2260 and the NBS 12-digit extension), shared by the API schemas and the console.

/** A region's own code: 4 (prefecture as used here), 6 (county), 9 (township) or 12 (community) digits. */
export const REGION_CODE_PATTERN = '^([0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$';
/** A region filter: any prefix of a code, 2 to 12 digits. */
export const REGION_FILTER_PATTERN = '^[0-9]{2,12}$';

const REGION_CODE = new RegExp(REGION_CODE_PATTERN);
const LEVEL_BY_LENGTH: Record<number, 1 | 2 | 3 | 4> = { 4: 1, 6: 2, 9: 3, 12: 4 };

export function isRegionCode(value: string): boolean {
  return REGION_CODE.test(value);
}

/** 1 prefecture · 2 county · 3 township · 4 community, from the code's length; null for a malformed code. */
export function regionLevelOfCode(code: string): 1 | 2 | 3 | 4 | null {
  return isRegionCode(code) ? (LEVEL_BY_LENGTH[code.length] ?? null) : null;
}
