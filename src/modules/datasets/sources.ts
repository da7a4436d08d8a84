// Streaming readers of uploaded files: bytes → text (UTF-8 or GB18030, detected or given), then records. Nothing
// holds a whole file: each reader yields one record at a time and caps a record's size.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DomainError, invalid } from '../../shared/errors.ts';
import type { Cell } from './validate.ts';

export type Encoding = 'utf-8' | 'gb18030';
/** The longest record (CSV line, JSON object) a load accepts, in characters. */
export const MAX_RECORD_CHARS = 1024 * 1024;

const badEncoding = (encoding: Encoding) =>
  invalid('datasets.bad_encoding', 'encoding', encoding === 'utf-8' ? 'The file is not valid UTF-8: if it is GBK or GB18030, upload it with encoding=gb18030.' : 'The file is not valid GB18030/GBK: if it is UTF-8, upload it with encoding=utf-8.', {
    encoding,
  });
export const corrupt = (message: string) => invalid('datasets.corrupt_file', 'body', message);
export const truncated = (message: string) => invalid('datasets.truncated_file', 'body', message);
const tooLarge = () => new DomainError('datasets.record_too_large', 'too_large', `A record (line) is longer than ${MAX_RECORD_CHARS} characters.`, 'body', { maxChars: MAX_RECORD_CHARS });

/** Whether the bytes are valid UTF-8, a multi-byte character cut at the end allowed. */
function looksUtf8(head: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Bytes → text. 'auto': a UTF-8 BOM, else valid UTF-8 in the first 64 KB, else GB18030 (a superset of GBK). Text that
 * is not valid in the chosen encoding fails the load (datasets.bad_encoding) rather than loading mojibake.
 */
export class Decoder extends Transform {
  encoding: Encoding | null;
  private head: Buffer[] = [];
  private headBytes = 0;
  private utf8: InstanceType<typeof TextDecoder> | null = null;
  private gb: ReturnType<typeof iconv.getDecoder> | null = null;

  constructor(requested: Encoding | 'auto') {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
    this.encoding = requested === 'auto' ? null : requested;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      if (this.encoding === null) {
        this.head.push(chunk);
        this.headBytes += chunk.length;
        if (this.headBytes < 65536) return done();
        this.choose();
        chunk = Buffer.alloc(0);
      }
      this.push(this.decode(chunk));
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.encoding === null) this.choose();
      let tail = this.head.length > 0 ? this.decode(Buffer.alloc(0)) : '';
      tail += this.utf8 ? this.utf8.decode() : (this.gb?.end() ?? '');
      if (tail.includes('\ufffd') && this.gb) throw badEncoding('gb18030');
      if (tail) this.push(tail);
      done();
    } catch (error) {
      done(error instanceof TypeError ? badEncoding(this.encoding ?? 'utf-8') : (error as Error));
    }
  }

  private choose(): void {
    const head = Buffer.concat(this.head);
    this.encoding = head.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) || looksUtf8(head) ? 'utf-8' : 'gb18030';
    this.head = [head];
  }

  private decode(chunk: Buffer): string {
    const encoding = this.encoding!;
    if (this.head.length > 0) {
      chunk = Buffer.concat([...this.head, chunk]);
      this.head = [];
    }
    if (encoding === 'utf-8') {
      this.utf8 ??= new TextDecoder('utf-8', { fatal: true });
      try {
        return this.utf8.decode(chunk, { stream: true });
      } catch {
        throw badEncoding('utf-8');
      }
    }
    this.gb ??= iconv.getDecoder('gb18030', { stripBOM: true });
    const text = this.gb.write(chunk);
    if (text.includes('\ufffd')) throw badEncoding('gb18030');
    return text;
  }
}

/**
 * CSV records as arrays of strings (the first is the header), RFC 4180: quoted fields may hold commas, quotes ("")
 * and line breaks. A line without a quote takes a fast split; a record past MAX_RECORD_CHARS fails the load; a file
 * that ends inside a quoted field is truncated.
 */
export async function* csvRecords(text: AsyncIterable<string | Buffer>): AsyncGenerator<string[]> {
  for await (const batch of csvBatches(text)) yield* batch;
}

/** csvRecords by the chunk: the records each chunk of text completes (no promise per record). */
export async function* csvBatches(text: AsyncIterable<string | Buffer>): AsyncGenerator<string[][]> {
  let rest = '';
  let line = 0;
  let first = true;
  for await (const piece of text) {
    let chunk = rest + (typeof piece === 'string' ? piece : piece.toString('utf8'));
    if (first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    let start = 0;
    const batch: string[][] = [];
    for (;;) {
      const end = chunk.indexOf('\n', start);
      if (end < 0) break;
      let record = chunk.slice(start, end);
      if (record.includes('"')) {
        const parsed = parseQuoted(chunk, start);
        if (parsed === null) break; // the quoted field goes on past this chunk
        start = parsed.next;
        line += parsed.lines;
        batch.push(parsed.fields);
        continue;
      }
      line++;
      start = end + 1;
      if (record.endsWith('\r')) record = record.slice(0, -1);
      if (record.length > MAX_RECORD_CHARS) throw tooLarge();
      if (record === '') continue;
      batch.push(record.split(','));
    }
    if (batch.length > 0) yield batch;
    rest = chunk.slice(start);
    if (rest.length > MAX_RECORD_CHARS) throw tooLarge();
  }
  if (rest.replace(/\r$/, '') !== '') {
    if (rest.includes('"')) {
      const parsed = parseQuoted(`${rest}\n`, 0);
      if (parsed === null) throw truncated(`The file ends inside a quoted value (line ${line + 1}).`);
      yield [parsed.fields];
    } else {
      yield [rest.replace(/\r$/, '').split(',')];
    }
  }
}

/** One record from `start` with quoted fields; null when the text ends before the record does. */
function parseQuoted(text: string, start: number): { fields: string[]; next: number; lines: number } | null {
  const fields: string[] = [];
  let i = start;
  let lines = 1;
  for (;;) {
    if (i - start > MAX_RECORD_CHARS) throw tooLarge();
    if (text.charCodeAt(i) === 0x22) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return null;
        if (quote - start > MAX_RECORD_CHARS) throw tooLarge();
        value += text.slice(from, quote);
        if (text.charCodeAt(quote + 1) === 0x22) {
          value += '"';
          from = quote + 2;
          continue;
        }
        for (let k = from; k < quote; k++) if (text.charCodeAt(k) === 0x0a) lines++;
        i = quote + 1;
        break;
      }
      fields.push(value);
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) return null;
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) return { fields, next: i + 2, lines };
      if (c === 0x0a) return { fields, next: i + 1, lines };
      throw corrupt(`A quoted value is followed by "${text[i]}" instead of a comma or a line break.`);
    }
    let j = i;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x2c || c === 0x0a) break;
      if (c === 0x22) throw corrupt('A quote appears inside an unquoted value.');
      j++;
    }
    if (j >= text.length) return null;
    const value = text.slice(i, j);
    fields.push(value.endsWith('\r') && text.charCodeAt(j) === 0x0a ? value.slice(0, -1) : value);
    if (text.charCodeAt(j) === 0x0a) return { fields, next: j + 1, lines };
    i = j + 1;
  }
}

/** A cell of exceljs as a plain value: rich text joined, formulas by their result, errors as empty. */
function plainCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return plainCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return null;
  return String(value as unknown);
}

/** Rows of the first worksheet of an XLSX, streamed (exceljs WorkbookReader); the first row is the header. */
export async function* xlsxRecords(bytes: Readable): AsyncGenerator<Cell[]> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  let sheets = 0;
  let rows = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      if (sheets > 1) continue;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        rows++;
        const values = row.values as ExcelJS.CellValue[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
        yield cells;
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw corrupt(`The XLSX cannot be read: ${(error as Error).message}`);
  }
  if (sheets === 0) throw corrupt('The file is not an XLSX workbook (no worksheet found).');
  if (rows === 0) throw invalid('datasets.empty_file', 'body', 'The worksheet is empty.');
}

/**
 * JSON rows: an array of objects, or NDJSON (one object a line). The array is split into its elements by a small
 * scanner (strings and nesting tracked) so that each element is parsed alone and none waits for the whole file.
 */
export async function* jsonRecords(text: AsyncIterable<string>): AsyncGenerator<unknown> {
  let mode: 'unknown' | 'array' | 'lines' | 'done' = 'unknown';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let partChars = 0;
  let element = 0;
  const flush = (): unknown => {
    const source = parts.join('');
    parts = [];
    partChars = 0;
    element++;
    try {
      return JSON.parse(source);
    } catch (error) {
      throw corrupt(`Element ${element} is not valid JSON: ${(error as Error).message}`);
    }
  };
  for await (const chunk of text) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (mode === 'unknown') {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
        if (c === 0x5b /* [ */) {
          mode = 'array';
          start = i + 1;
          continue;
        }
        mode = 'lines';
        start = i;
      }
      if (mode === 'done') {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        throw corrupt('Text follows the end of the JSON array.');
      }
      if (mode === 'lines') {
        if (c === 0x0a) {
          parts.push(chunk.slice(start, i));
          start = i + 1;
          if (parts.join('').trim() === '') parts = [];
          else yield flush();
          partChars = 0;
        }
        continue;
      }
      // array mode
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) {
          // the array's closing bracket
          parts.push(chunk.slice(start, i));
          start = i + 1;
          if (parts.join('').trim() !== '') yield flush();
          parts = [];
          mode = 'done';
          continue;
        }
        depth--;
      } else if (c === 0x2c /* , */ && depth === 0) {
        parts.push(chunk.slice(start, i));
        start = i + 1;
        yield flush();
      }
    }
    if (mode === 'array' || mode === 'lines') {
      const rest = chunk.slice(start);
      partChars += rest.length;
      if (partChars > MAX_RECORD_CHARS) throw tooLarge();
      parts.push(rest);
    }
  }
  if (mode === 'unknown') throw invalid('datasets.empty_file', 'body', 'The file holds no JSON.');
  if (mode === 'array') throw truncated('The JSON array is not closed: the file ends early.');
  if (mode === 'lines' && parts.join('').trim() !== '') {
    const source = parts.join('');
    try {
      yield JSON.parse(source);
    } catch {
      throw truncated('The last line is not complete JSON: the file ends early.');
    }
  }
}
