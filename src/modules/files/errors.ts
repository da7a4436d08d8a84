// Messages for the attachment store's errors (附件): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const fileErrors = defineErrors({
  'file.too_large': { zh: '文件超过该用途允许的大小', en: 'The file is larger than this use allows' },
  'file.invalid_name': { zh: '文件名无效（1–255 个字符，不含路径和控制字符）', en: 'Invalid file name (1–255 characters, no path or control characters)' },
  'file.unknown_owner_kind': { zh: '未知的附件归属类型', en: 'Unknown kind of owner for an attachment' },
  'file.unknown_use': { zh: '该对象不接受此用途的附件', en: 'This owner takes no attachments of that use' },
  'file.owner_not_found': { zh: '附件所属对象不存在或不在您的管辖范围内', en: 'The owning object does not exist in your jurisdiction' },
  'file.unsupported_type': { zh: '文件类型不被允许（按内容识别）', en: 'This type of file (detected from its content) is not allowed here' },
  'file.name_type_mismatch': { zh: '文件扩展名与其内容不符', en: 'The file name’s extension does not match its content' },
  'file.upload_incomplete': { zh: '上传未完成，请重试', en: 'The upload did not complete; try again' },
  'file.not_found': { zh: '文件不存在或您无权查看', en: 'No such file, or you may not read it' },
  'file.content_missing': { zh: '文件内容缺失，请联系系统管理员', en: 'The file’s content is missing; tell the system administrator' },
});
