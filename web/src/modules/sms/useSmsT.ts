// `t` for the SMS pages: their own keys (`title`), looked up as `sms.title` in the console's dictionary.
import { useI18n } from '../../context.tsx';
import type { SmsMessageKey } from './messages.ts';

export function useSmsT(): (key: SmsMessageKey, params?: Record<string, string | number>) => string {
  const { t } = useI18n();
  return (key, params) => t(`sms.${key}`, params);
}
