// Messages for the job queue's and the outbox's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const jobErrors = defineErrors({
  'job.invalid_name': { zh: '任务名格式不正确', en: 'Not a valid job name' },
  'job.invalid_max_attempts': { zh: '最大尝试次数须为 1–100', en: 'maxAttempts is 1 to 100' },
  'job.invalid_unique_key': { zh: '唯一键须为 1–400 个字符', en: 'A unique key has 1 to 400 characters' },
  'job.not_found': { zh: '任务不存在', en: 'No such job' },
  'job.not_retryable': { zh: '只有失败的任务才能重试', en: 'Only a failed job can be retried' },
  'outbox.invalid_topic': { zh: '发件箱主题格式不正确', en: 'Not a valid outbox topic' },
  'outbox.invalid_key': { zh: '发件箱键须为 1–400 个字符', en: 'An outbox key has 1 to 400 characters' },
});
