// Messages for the files module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const fileErrors = defineErrors({
  'file.content_missing': { zh: '文件已登记，但存储中缺少其内容', en: 'The file is recorded but its content is missing from the store' },
  'file.invalid_name': { zh: '文件名须为 1–255 个字符，不含路径或控制字符', en: 'The file name must be 1–255 characters, without a path or control characters' },
  'file.name_type_mismatch': { zh: '文件扩展名与文件内容的类型不符', en: "The file name's extension does not match its content" },
  'file.not_found': { zh: '文件不存在或您无权查阅', en: 'No such file that you may read' },
  'file.owner_not_found': { zh: '找不到您可以为其上传文件的对象', en: 'No such object you may attach files to' },
  'file.too_large': { zh: '文件超过此用途允许的大小', en: 'The file is larger than this use allows' },
  'file.unknown_owner_kind': { zh: '没有模块接收此类对象的文件', en: 'No module accepts files for this kind of object' },
  'file.unknown_use': { zh: '未知的文件用途', en: 'Unknown file use' },
  'file.unsupported_type': { zh: '此用途不接受该文件类型', en: 'This use does not accept this file type' },
  'file.upload_incomplete': { zh: '上传在文件完整到达前中断', en: 'The upload ended before the whole file arrived' },
});
