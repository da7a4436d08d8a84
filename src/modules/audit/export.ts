// Audit records as an XLSX workbook, streamed row by row (exceljs WorkbookWriter): memory stays flat up to the cap.
import { PassThrough, type Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { AuditRecord } from './service.ts';

/** At most this many rows go into one export; the workbook says so when the filter matched more. */
export const EXPORT_ROW_CAP = 50_000;
/** Rows between two turns of the event loop while writing (the compressor and the client's socket run then). */
const YIELD_EVERY_ROWS = 200;

const OUTCOME_ZH: Record<string, string> = { success: '成功', failure: '失败', denied: '拒绝' };
const ROLE_ZH: Record<string, string> = {
  platform_admin: '系统管理员',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
  department_admin: '部门管理员',
  department_staff: '部门工作人员',
  community_worker: '社区网格员',
  supervisor: '纪检监察',
  auditor: '审计员',
  leader: '领导',
  citizen: '公众用户',
};

const COLUMNS: { header: string; width: number; value: (r: AuditRecord) => string | number | Date | null }[] = [
  { header: '序号', width: 10, value: (r) => Number(r.seq) },
  { header: '时间', width: 20, value: (r) => shanghaiTime(r.at) },
  { header: '操作人', width: 14, value: (r) => r.actorDisplayName },
  { header: '用户名', width: 16, value: (r) => r.actorName },
  { header: '部门', width: 22, value: (r) => r.departmentName },
  { header: '角色', width: 14, value: (r) => (r.role === null ? null : (ROLE_ZH[r.role] ?? r.role)) },
  { header: '操作', width: 18, value: (r) => r.actionLabel.zh },
  { header: '操作代码', width: 18, value: (r) => r.action },
  { header: '对象', width: 24, value: (r) => r.objectName ?? r.objectId },
  { header: '区划', width: 14, value: (r) => r.regionName ?? r.regionCode },
  { header: '区划代码', width: 14, value: (r) => r.regionCode },
  { header: '结果', width: 8, value: (r) => OUTCOME_ZH[r.outcome] ?? r.outcome },
  { header: '客户端地址', width: 16, value: (r) => r.clientAddr },
  { header: '详情', width: 50, value: (r) => r.detailFields.map((f) => `${f.label.zh}：${f.value === null ? '—' : f.value === true ? '是' : f.value === false ? '否' : String(f.value)}`).join('；') },
  { header: '请求编号', width: 20, value: (r) => r.requestId },
  { header: '哈希', width: 66, value: (r) => r.hash },
];

/** 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai, the time auditors read. */
function shanghaiTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Resolves once the reader has taken what was buffered (or the stream is gone). */
function waitForRoom(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done).off('close', done);
      resolve();
    };
    out.on('drain', done).on('close', done);
  });
}

/** Streams the workbook; a failure part-way destroys the stream (the client sees a broken download, not a short file). */
export function auditWorkbook(rows: AsyncIterable<AuditRecord>, total: number): Readable {
  const out = new PassThrough();
  void (async () => {
    // loaded on first export: exceljs and its zip libraries would otherwise slow every start of the server and CLI
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let written = 0;
    for await (const record of rows) {
      sheet.addRow(COLUMNS.map((c) => c.value(record))).commit();
      if (++written % YIELD_EVERY_ROWS !== 0) continue;
      // let the compressor's callbacks run (PGlite answers without leaving the event loop, so nothing else would
      // run until the last row), then hold further pages while the client has not taken what is written
      await setImmediate();
      if (out.writableNeedDrain) await waitForRoom(out);
    }
    if (total > EXPORT_ROW_CAP) sheet.addRow([`共匹配 ${total} 条，仅导出最新的 ${EXPORT_ROW_CAP} 条；请缩小筛选范围。`]).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
