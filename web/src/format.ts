// Display helpers shared by the pages.
import dayjs from 'dayjs';
import { isApiError } from './api/index.ts';
import type { Translate } from './context.tsx';
import type { MessageKey } from './i18n.ts';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : value;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD') : value;
}

/** "HH:mm" when the instant is today, otherwise "YYYY-MM-DD HH:mm". */
export function formatLockTime(value: string): string {
  const d = dayjs(value);
  if (!d.isValid()) return value;
  return d.isSame(dayjs(), 'day') ? d.format('HH:mm') : d.format('YYYY-MM-DD HH:mm');
}

export function levelKey(level: number): MessageKey {
  switch (level) {
    case 1:
      return 'level.1';
    case 2:
      return 'level.2';
    case 3:
      return 'level.3';
    default:
      return 'level.4';
  }
}

export const LEVEL_COLORS: Record<number, string> = { 1: 'geekblue', 2: 'blue', 3: 'cyan', 4: 'green' };

/** A user-facing sentence for any error thrown by the API client. */
export function describeError(t: Translate, err: unknown): string {
  if (isApiError(err)) {
    if (err.status === 0) return t('error.network');
    if (err.status === 401) return t('error.sessionExpired');
    if (err.status === 403) return err.detail ?? t('error.forbidden');
    if (err.status >= 500) return `${t('error.server')} ${err.status}${err.detail ? `: ${err.detail}` : ''}`;
    return err.detail ?? err.title;
  }
  if (err instanceof Error) return err.message;
  return t('error.generic');
}
