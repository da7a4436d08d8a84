// Domain errors: a stable machine code, a kind (mapped to an HTTP status at one boundary) and the field at fault.

export type ErrorKind =
  | 'invalid' // 400/422: the input is wrong
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported_type' // 415
  | 'locked' // 423
  | 'rate_limited' // 429
  | 'unavailable' // 503
  | 'bad_gateway' // 502: an upstream system answered wrongly or not at all
  | 'gateway_timeout'; // 504: an upstream system answered too late

export class DomainError extends Error {
  constructor(
    /** Stable machine code, e.g. `department.invalid_credit_code`. */
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    /** The request field at fault, as a JSON pointer-ish path (`creditCode`, `grants/0/regionCode`). */
    readonly field?: string,
    /** Extra facts a client may use (e.g. `lockedUntil`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, field: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(code, 'invalid', message, field, details);
export const notFound = (code: string, message: string, field?: string): DomainError => new DomainError(code, 'not_found', message, field);
export const conflict = (code: string, message: string, field?: string): DomainError => new DomainError(code, 'conflict', message, field);
export const forbidden = (code: string, message: string): DomainError => new DomainError(code, 'forbidden', message);
export const unauthenticated = (code: string, message: string): DomainError => new DomainError(code, 'unauthenticated', message);

/** What a person reads for an error code, in the console's two languages. */
export interface ErrorMessage {
  zh: string;
  en: string;
}

/** A module's error catalogue: every code it raises, with its zh-CN and English message (assembled in src/modules/error-catalogue.ts). */
export const defineErrors = <const C extends Record<string, ErrorMessage>>(messages: C): C => messages;
