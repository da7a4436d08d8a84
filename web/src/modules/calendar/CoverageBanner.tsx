// For those who may load a year: a banner on every page while computations reach past the loaded holiday
// schedules (the coverage guard's alerts) or when the server says the loaded years end soon.
import { useEffect, useState } from 'react';
import { Alert, Button } from 'antd';
import { useAuth, useI18n } from '../../context.tsx';
import { navigate } from '../../router.tsx';
import { calendarApi, type CalendarStatus } from './api.ts';

/** Fired after a year is loaded: the banner asks again. */
export const CALENDAR_CHANGED = 'govcloud:calendar';

export function CoverageBanner() {
  const { t } = useI18n();
  const { can } = useAuth();
  const manager = can('calendar.manage');
  const [status, setStatus] = useState<CalendarStatus | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const changed = () => setTick((n) => n + 1);
    window.addEventListener(CALENDAR_CHANGED, changed);
    return () => window.removeEventListener(CALENDAR_CHANGED, changed);
  }, []);
  useEffect(() => {
    if (!manager) return;
    const controller = new AbortController();
    calendarApi.status(controller.signal).then(setStatus, () => undefined);
    return () => controller.abort();
  }, [manager, tick]);
  if (!manager || !status) return null;
  const alertYears = status.alerts.map((a) => a.year);
  const soon = status.endingSoon;
  if (alertYears.length === 0 && !soon) return null;
  return (
    <Alert
      type={alertYears.length > 0 ? 'error' : 'warning'}
      showIcon
      className="page-alert"
      data-testid="calendar-coverage-banner"
      title={alertYears.length > 0 ? t('calendar.coverageAlert', { years: alertYears.join('、') }) : t('calendar.coverageSoon', { date: status.coverageEnds ?? '', days: status.daysLeft ?? 0 })}
      action={
        <Button size="small" onClick={() => navigate('/calendar')}>
          {t('calendar.goLoad')}
        </Button>
      }
    />
  );
}
