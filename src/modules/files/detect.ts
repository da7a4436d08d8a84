// The type of a file from its content (magic bytes; for zip containers, the names inside), never from its name.
import fs from 'node:fs';

export interface DetectedType {
  mediaType: string;
  /** Names a file of this type may carry (lower case, no dot). */
  extensions: readonly string[];
}

export const TYPES = {
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'] },
  png: { mediaType: 'image/png', extensions: ['png'] },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  gif: { mediaType: 'image/gif', extensions: ['gif'] },
  webp: { mediaType: 'image/webp', extensions: ['webp'] },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'] },
  zip: { mediaType: 'application/zip', extensions: ['zip'] },
  ole: { mediaType: 'application/x-ole-storage', extensions: ['doc', 'xls', 'ppt'] },
} as const satisfies Record<string, DetectedType>;

/** Bytes of the start of a file the signatures need. */
export const HEAD_BYTES = 16;

const startsWith = (head: Buffer, bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** Detects the type of the file at `file` whose first bytes are `head`; null when it is none we know. */
export async function detectType(head: Buffer, file: string): Promise<DetectedType | null> {
  if (startsWith(head, ascii('%PDF-'))) return TYPES.pdf;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return TYPES.png;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return TYPES.jpeg;
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return TYPES.gif;
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return TYPES.webp;
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return TYPES.ole;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const names = await zipEntryNames(file);
    if (names === null) return null;
    if (names.has('[Content_Types].xml')) {
      if (names.has('word/document.xml')) return TYPES.docx;
      if (names.has('xl/workbook.xml')) return TYPES.xlsx;
      if (names.has('ppt/presentation.xml')) return TYPES.pptx;
    }
    return TYPES.zip;
  }
  return null;
}

const EOCD = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
/** The end-of-central-directory record is within the last 22 + 65535 (comment) bytes. */
const EOCD_SEARCH = 22 + 0xffff;
const MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024;

/** The entry names in a zip file's central directory, read from its end; null when it is not a readable zip. */
export async function zipEntryNames(file: string): Promise<Set<string> | null> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, EOCD_SEARCH);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return null;
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdSize > MAX_CENTRAL_DIRECTORY || cdOffset + cdSize > size) return null;
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const names = new Set<string>();
    let at = 0;
    for (let n = 0; n < entries; n++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL_ENTRY) return null;
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      if (at + 46 + nameLength > cd.length) return null;
      names.add(cd.toString('utf8', at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  } finally {
    await handle.close();
  }
}
