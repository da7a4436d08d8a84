// The streaming readers alone: decoding across chunk boundaries, encoding detection, CSV and JSON record splitting.
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvRecords, Decoder, jsonRecords, MAX_RECORD_CHARS } from './sources.ts';

async function decode(bytes: Buffer, chunk: number, encoding: 'auto' | 'utf-8' | 'gb18030' = 'auto'): Promise<{ text: string; encoding: string | null }> {
  const decoder = new Decoder(encoding);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  Readable.from(parts).pipe(decoder);
  let text = '';
  for await (const piece of decoder) text += String(piece);
  return { text, encoding: decoder.encoding };
}

const CHINESE = '哈密市伊州区，巴里坤哈萨克自治县；伊吾县。€𠀀'.repeat(4000);

describe('Decoder', () => {
  it('decodes UTF-8 and GB18030 split anywhere, detecting each (past the 64 KB head too)', async () => {
    for (const chunk of [1, 7, 1000, 70_000]) {
      const small = chunk === 1 ? CHINESE.slice(0, 300) : CHINESE;
      expect(await decode(Buffer.from(small), chunk)).toEqual({ text: small, encoding: 'utf-8' });
      expect(await decode(iconv.encode(small, 'gb18030'), chunk)).toEqual({ text: small, encoding: 'gb18030' });
    }
    expect((await decode(Buffer.from(`\ufeffa,b\n`), 2)).text).toBe('a,b\n');
  });

  it('refuses bytes not valid in the given or detected encoding', async () => {
    await expect(decode(iconv.encode(CHINESE, 'gbk'), 5000, 'utf-8')).rejects.toMatchObject({ code: 'datasets.bad_encoding', field: 'encoding' });
    // ASCII for the first 64 KB, GBK later: detected as UTF-8, then refused, never loaded as mojibake
    const late = Buffer.concat([Buffer.from('a'.repeat(70_000)), iconv.encode('张三', 'gbk')]);
    await expect(decode(late, 4096)).rejects.toMatchObject({ code: 'datasets.bad_encoding' });
  });
});

describe('records', () => {
  it('splits a JSON array whose strings hold brackets, commas and escapes, across any chunking', async () => {
    const rows = [{ a: 'x,]}{[', b: '\\"' }, { a: 1, n: { deep: [1, 2, { c: ']' }] } }, 'text', null];
    const text = JSON.stringify(rows, null, 1);
    for (const size of [1, 3, 50]) {
      const parts: string[] = [];
      for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
      const got: unknown[] = [];
      for await (const r of jsonRecords(Readable.from(parts))) got.push(r);
      expect(got).toEqual(rows);
    }
  });

  it('reads RFC 4180 CSV (quotes, doubled quotes, commas and line breaks inside, CRLF) across any chunking', async () => {
    const text = 'a,b,c\r\n1,"x, ""y""",z\r\n2,"多\n行",\n3,,"末"';
    for (const size of [1, 2, 5, 100]) {
      const parts: string[] = [];
      for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
      const got: string[][] = [];
      for await (const r of csvRecords(Readable.from(parts))) got.push(r);
      expect(got).toEqual([['a', 'b', 'c'], ['1', 'x, "y"', 'z'], ['2', '多\n行', ''], ['3', '', '末']]);
    }
    await expect(async () => {
      for await (const r of csvRecords(Readable.from(['a,b\n1,"x"y\n']))) void r;
    }).rejects.toMatchObject({ code: 'datasets.corrupt_file' });
  });

  it('caps a record: a 10 MB line (CSV) or element (JSON) is refused', async () => {
    const big = 'x'.repeat(MAX_RECORD_CHARS + 10);
    await expect(async () => {
      for await (const r of csvRecords(Readable.from([`a,b\n1,${big}\n`]))) void r;
    }).rejects.toMatchObject({ code: 'datasets.record_too_large' });
    await expect(async () => {
      for await (const r of jsonRecords(Readable.from(['[{"a":"', big, '"}]']))) void r;
    }).rejects.toMatchObject({ code: 'datasets.record_too_large' });
  });
});
