// `t` for the matters pages: their own keys, looked up as `matters.<key>` in the console's dictionary.
import { useI18n } from '../../context.tsx';
import type { MattersMessageKey } from './messages.ts';

export function useMattersT(): (key: MattersMessageKey, params?: Record<string, string | number>) => string {
  const { t } = useI18n();
  return (key, params) => t(`matters.${key}`, params);
}
