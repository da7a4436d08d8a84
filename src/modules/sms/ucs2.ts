// UCS-2 (big-endian UTF-16), the SMPP data_coding 8 that carriers expect for Chinese text.
export const DATA_CODING_UCS2 = 8;
/** One SMS segment's payload: 140 octets, 70 UCS-2 characters. */
export const SHORT_MESSAGE_OCTETS = 140;

export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

export function decodeUcs2(octets: Buffer): string {
  return Buffer.from(octets).swap16().toString('utf16le');
}
