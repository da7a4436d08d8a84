// Splits a text into SMS segments: one UCS-2 segment of up to 70 characters, or concatenated segments of 67
// characters each behind a User Data Header (3GPP TS 23.040 IEI 0x00: 8-bit reference, total, sequence).
import { encodeUcs2 } from './ucs2.ts';

/** UTF-16 code units in a single UCS-2 segment (140 octets). */
export const SINGLE_SEGMENT_CHARS = 70;
/** UTF-16 code units per segment of a concatenated message (140 octets less the 6-octet UDH). */
export const CONCAT_SEGMENT_CHARS = 67;
/** A concatenated message has at most 255 parts (the UDH counts them in one octet). */
export const MAX_SEGMENTS = 255;

export interface Segment {
  /** 1-based. */
  seq: number;
  total: number;
  /** The 6-octet UDH (05 00 03 ref total seq), absent for a single-segment message. */
  udh: Buffer | null;
  /** UCS-2 octets of this segment's text. */
  octets: Buffer;
  text: string;
}

/** Cuts a text into pieces of at most `size` UTF-16 code units, never between the halves of a surrogate pair. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** How many segments a text takes. */
export function segmentCount(text: string): number {
  return text.length <= SINGLE_SEGMENT_CHARS ? 1 : pieces(text, CONCAT_SEGMENT_CHARS).length;
}

/**
 * The segments of a text. `reference` (0–255) identifies the message for the handset's reassembly; it must stay the
 * same when a segment is sent again, so callers derive it from the message id.
 */
export function segmentText(text: string, reference: number): Segment[] {
  if (text.length <= SINGLE_SEGMENT_CHARS) return [{ seq: 1, total: 1, udh: null, octets: encodeUcs2(text), text }];
  const parts = pieces(text, CONCAT_SEGMENT_CHARS);
  if (parts.length > MAX_SEGMENTS) throw new RangeError(`A text of ${text.length} characters needs more than ${MAX_SEGMENTS} segments.`);
  return parts.map((part, i) => ({
    seq: i + 1,
    total: parts.length,
    udh: Buffer.from([0x05, 0x00, 0x03, reference & 0xff, parts.length, i + 1]),
    octets: encodeUcs2(part),
    text: part,
  }));
}

/** A concatenation reference from a message id (stable across retries). */
export function concatReference(messageId: string): number {
  let h = 0;
  for (let i = 0; i < messageId.length; i++) h = (h * 31 + messageId.charCodeAt(i)) & 0xff;
  return h;
}

/** Reads a concatenation UDH (IEI 0x00 or 0x08) back: the SMS centre side of segmentText. */
export function parseConcatUdh(udh: Buffer): { reference: number; total: number; seq: number } | null {
  let at = 1;
  while (at + 1 < udh.length) {
    const iei = udh[at]!;
    const len = udh[at + 1]!;
    if (iei === 0x00 && len === 3) return { reference: udh[at + 2]!, total: udh[at + 3]!, seq: udh[at + 4]! };
    if (iei === 0x08 && len === 4) return { reference: udh.readUInt16BE(at + 2), total: udh[at + 4]!, seq: udh[at + 5]! };
    at += 2 + len;
  }
  return null;
}
