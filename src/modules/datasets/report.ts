// The rejection report of a load as CSV (UTF-8 with BOM, for Excel) or XLSX, streamed. Cells a spreadsheet would run as
// a formula (=, +, -, @, tab, CR at the start: `=cmd|' /C calc'!A0`) are escaped with a leading apostrophe.
import { PassThrough, Readable } from 'node:stream';
import type { RejectionView } from './service.ts';

const HEADERS = ['行号', '数据项', '值', '错误代码', '说明'];

/** A cell made inert for spreadsheets (OWASP CSV injection): a leading ' before = + - @ TAB CR. */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cellsOf(r: RejectionView): string[] {
  return [r.rowNo === 0 ? '表头' : String(r.rowNo), r.item, r.value ?? '', r.code, r.message].map(escapeFormula);
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\r\n`;
}

export function rejectionCsv(rows: AsyncIterable<RejectionView>): Readable {
  return Readable.from(
    (async function* () {
      yield `\ufeff${csvLine(HEADERS)}`;
      for await (const r of rows) yield csvLine(cellsOf(r));
    })(),
  );
}

export function rejectionXlsx(rows: AsyncIterable<RejectionView>): Readable {
  const out = new PassThrough();
  void (async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('拒收明细', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [{ width: 10 }, { width: 18 }, { width: 30 }, { width: 22 }, { width: 40 }].map((c, i) => ({ header: HEADERS[i], width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    // every cell is written as text: nothing in the report is ever a formula
    for await (const r of rows) sheet.addRow(cellsOf(r)).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
