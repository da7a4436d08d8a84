// Export of a list's current filter: every page fetched through the list's own fetcher, written as CSV or XLSX.
import type { Page } from '../../api/index.ts';

export type Cell = string | number | boolean | null;
export interface ExportColumn<T> {
  title: string;
  value: (row: T) => Cell;
}

/** Rows an export collects at most (a larger export belongs to a server-side job). */
export const EXPORT_MAX_ROWS = 10_000;
const EXPORT_PAGE = 500;

/** Walks the cursor from the first page to the last (or EXPORT_MAX_ROWS) with the filter the list shows. */
export async function collectRows<T>(fetchPage: (cursor: string | null, signal: AbortSignal, limit: number) => Promise<Page<T>>, signal: AbortSignal): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage(cursor, signal, EXPORT_PAGE);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && rows.length < EXPORT_MAX_ROWS);
  return { rows: rows.slice(0, EXPORT_MAX_ROWS), truncated: cursor !== null || rows.length > EXPORT_MAX_ROWS };
}

/** RFC 4180 CSV with a BOM (so Excel opens UTF-8 Chinese correctly); cells that a spreadsheet would run as formulas are quoted with a leading apostrophe. */
export function toCsv<T>(columns: readonly ExportColumn<T>[], rows: readonly T[]): string {
  const cell = (value: Cell): string => {
    let text = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((c) => cell(c.title)).join(','), ...rows.map((row) => columns.map((c) => cell(c.value(row))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** An XLSX workbook with one sheet (ExcelJS, loaded on the first export). */
export async function toXlsx<T>(sheet: string, columns: readonly ExportColumn<T>[], rows: readonly T[]): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet(sheet.slice(0, 31));
  ws.columns = columns.map((c) => ({ header: c.title, width: Math.min(60, Math.max(10, c.title.length * 2 + 4)) }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(columns.map((c) => c.value(row)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
