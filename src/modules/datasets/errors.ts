// Messages for the datasets module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const datasetErrors = defineErrors({
  'datasets.resource_not_found': { zh: '资源不存在，或不是您所在部门提供的资源', en: 'No such resource that your department provides' },
  'datasets.resource_not_loadable': { zh: '该资源不接收归集数据（已撤销或由上游接口提供）', en: 'This resource takes no loads (withdrawn, or answered by an upstream endpoint)' },
  'datasets.load_not_found': { zh: '归集批次不存在或您无权查阅', en: 'No such load that you may read' },
  'datasets.unsupported_format': { zh: '不支持的文件格式：请上传 CSV、XLSX 或 JSON', en: 'Unsupported format: upload CSV, XLSX or JSON' },
  'datasets.bad_encoding': { zh: '文件编码与所选编码不符（支持 UTF-8、GB18030/GBK）', en: 'The file is not in the encoding given or detected (UTF-8, GB18030/GBK)' },
  'datasets.record_too_large': { zh: '单条记录（一行）超过允许的大小', en: 'One record (line) is larger than allowed' },
  'datasets.corrupt_file': { zh: '文件已损坏或格式错误，无法读取', en: 'The file is corrupt or malformed and cannot be read' },
  'datasets.truncated_file': { zh: '文件不完整（被截断）', en: 'The file is incomplete (truncated)' },
  'datasets.upload_incomplete': { zh: '上传在文件完整到达前中断', en: 'The upload ended before the whole file arrived' },
  'datasets.empty_file': { zh: '文件没有表头或没有数据', en: 'The file has no header or no data' },
  'datasets.missing_column': { zh: '缺少必填或主键数据项对应的列', en: 'A column for a required or key item is missing' },
  'datasets.duplicate_column': { zh: '同一数据项对应了多个列', en: 'Two columns map to the same item' },
  'datasets.commit_failed': { zh: '入库失败，本批次数据均未写入', en: 'The commit failed; no row of this load was written' },
  'datasets.too_many_rows': { zh: '一次推送最多 10,000 行', en: 'A push carries at most 10,000 rows' },
});

/** Why a cell or a row was rejected: the codes kept in data_load_rejection, with their messages. */
export const REJECTION_MESSAGES = {
  required: { zh: '必填项为空', en: 'Required value missing' },
  too_long: { zh: '超过最大长度', en: 'Longer than the maximum length' },
  unstorable_text: { zh: '含有无法保存的字符（NUL 或不成对的代理项）', en: 'Holds a character that cannot be stored (NUL or an unpaired surrogate)' },
  integer: { zh: '不是整数', en: 'Not an integer' },
  decimal: { zh: '不是数值', en: 'Not a number' },
  date: { zh: '日期格式应为 YYYY-MM-DD 且真实存在', en: 'A date is YYYY-MM-DD and must exist' },
  datetime: { zh: '时间格式应为 ISO 8601（如 2026-11-27T08:30:00+08:00）', en: 'A date-time is ISO 8601 (e.g. 2026-11-27T08:30:00+08:00)' },
  boolean: { zh: '不是布尔值（是/否、true/false、1/0）', en: 'Not a boolean (是/否, true/false, 1/0)' },
  id_number_format: { zh: '公民身份号码应为 18 位', en: 'A citizen ID number has 18 characters' },
  id_number_check_digit: { zh: '公民身份号码校验码错误（GB 11643）', en: 'Wrong check digit (GB 11643)' },
  id_number_birth_date: { zh: '公民身份号码中的出生日期无效', en: 'The birth date in the ID number is not valid' },
  mobile: { zh: '不是有效的手机号码', en: 'Not a valid mobile number' },
  region_code: { zh: '不是已知的行政区划代码（GB/T 2260）', en: 'Not a known region code (GB/T 2260)' },
  duplicate_key: { zh: '主键与本批次前面的行重复', en: 'The key repeats an earlier row of this load' },
  unknown_column: { zh: '未知的列，已忽略', en: 'Unknown column, ignored' },
  column_count: { zh: '该行的列数与表头不符', en: 'The row has another number of columns than the header' },
  not_object: { zh: '该行不是对象', en: 'The row is not an object' },
} as const;
export type RejectionCode = keyof typeof REJECTION_MESSAGES;
