// The jobs page's strings in both languages (zh-CN is the reference; en-US must have every key).
import type { Lang } from '../../i18n.ts';

const zh = {
  title: '后台任务',
  name: '任务',
  namePlaceholder: '按任务名或前缀筛选，如 outbox:',
  state: '状态',
  all: '全部',
  'state.queued': '排队中',
  'state.running': '运行中',
  'state.failed': '失败',
  'state.done': '已完成',
  key: '唯一键',
  attempts: '尝试次数',
  runAt: '计划时间',
  lastError: '最近错误',
  retry: '重试',
  retried: '任务已重新排队',
  actions: '操作',
  search: '查询',
};

export type JobMessageKey = keyof typeof zh;

const en: Record<JobMessageKey, string> = {
  title: 'Background jobs',
  name: 'Job',
  namePlaceholder: 'Filter by job name or prefix, e.g. outbox:',
  state: 'State',
  all: 'All',
  'state.queued': 'Queued',
  'state.running': 'Running',
  'state.failed': 'Failed',
  'state.done': 'Done',
  key: 'Unique key',
  attempts: 'Attempts',
  runAt: 'Run at',
  lastError: 'Last error',
  retry: 'Retry',
  retried: 'The job is queued again',
  actions: 'Actions',
  search: 'Search',
};

export const JOB_MESSAGES: Record<Lang, Record<JobMessageKey, string>> = { 'zh-CN': zh, 'en-US': en };
