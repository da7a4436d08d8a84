// The sensitive-field registry: which fields of which views hold personal or sensitive data, and how each is masked.
// A view's field is returned unmasked only to a caller holding `<resource>.read_sensitive` over that row (or a share
// grant naming the field), and every unmasked read is recorded with the person's identifier (audit.recordAccess).

/** Kinds of personal data named by the Personal Information Protection Law and the MLPS guidance. */
export type SensitiveCategory = 'id_number' | 'phone' | 'email' | 'name' | 'address' | 'health' | 'family_planning' | 'party_membership' | 'income';

export type Masker = (value: string) => string;

/** 650502199001011234 → 650502********1234 (first 6, last 4). */
export const maskIdNumber: Masker = (v) => (v.length > 10 ? `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}` : '*'.repeat(v.length));
/** 13812345678 → 138****5678 (first 3, last 4). */
export const maskPhone: Masker = (v) => (v.length >= 7 ? `${v.slice(0, 3)}****${v.slice(-4)}` : '****');
/** 张三丰 → 张** (the surname). */
export const maskName: Masker = (v) => {
  const chars = [...v];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
};
/** zhang.san@example.cn → z***@example.cn */
export const maskEmail: Masker = (v) => {
  const at = v.lastIndexOf('@');
  return at <= 0 ? '***' : `${v[0]}***${v.slice(at)}`;
};
/** Free text (address, health, income …): nothing shown. */
export const maskAll: Masker = () => '***';

/** How each category is masked unless a view's field says otherwise. */
export const DEFAULT_MASKS: Readonly<Record<SensitiveCategory, Masker>> = {
  id_number: maskIdNumber,
  phone: maskPhone,
  email: maskEmail,
  name: maskName,
  address: maskAll,
  health: maskAll,
  family_planning: maskAll,
  party_membership: maskAll,
  income: maskAll,
};

export interface SensitiveField {
  category: SensitiveCategory;
  /** Overrides the category's default mask for this field. */
  mask?: Masker;
}

const registry = new Map<string, Readonly<Record<string, SensitiveField>>>();

/** Declares the sensitive fields of a resource's view (a module does this once, beside its service). */
export function declareSensitiveFields(resource: string, fields: Readonly<Record<string, SensitiveField>>): void {
  registry.set(resource, fields);
}

/** The declared sensitive fields of a resource (empty when none). */
export function sensitiveFieldsOf(resource: string): Readonly<Record<string, SensitiveField>> {
  return registry.get(resource) ?? {};
}

/** The masked form of one field's value; values of undeclared fields pass unchanged. */
export function maskField(resource: string, field: string, value: string | null): string | null {
  const declared = sensitiveFieldsOf(resource)[field];
  if (value === null || !declared) return value;
  return (declared.mask ?? DEFAULT_MASKS[declared.category])(value);
}

/**
 * A view with its sensitive fields masked, except those in `reveal` (fields the caller may read unmasked for this row).
 * Returns the view and the names of sensitive fields that went out unmasked with a value (to be recorded).
 */
export function applyMasks<T extends Record<string, unknown>>(resource: string, view: T, reveal: ReadonlySet<string>): { view: T; revealed: string[] } {
  const out: Record<string, unknown> = { ...view };
  const revealed: string[] = [];
  for (const field of Object.keys(sensitiveFieldsOf(resource))) {
    const value = out[field];
    if (typeof value !== 'string') continue;
    if (reveal.has(field)) revealed.push(field);
    else out[field] = maskField(resource, field, value);
  }
  return { view: out as T, revealed };
}
