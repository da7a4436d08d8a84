// `t` for the notices pages: their own keys, looked up as `notices.<key>` in the console's dictionary.
import { useI18n } from '../../context.tsx';
import type { NoticesMessageKey } from './messages.ts';

export function useNoticesT(): (key: NoticesMessageKey, params?: Record<string, string | number>) => string {
  const { t } = useI18n();
  return (key, params) => t(`notices.${key}`, params);
}
