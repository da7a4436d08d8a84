// Small pieces of the evaluation pages: the month picker (YYYY-MM), the grade tag, the month options of scored months.
import { useEffect, useState } from 'react';
import { DatePicker, Tag } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../context.tsx';
import { evaluationApi, type Grade } from './api.ts';

export function MonthPicker(props: { value: string | undefined; onChange: (month: string | undefined) => void; allowClear?: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <DatePicker
      picker="month"
      value={props.value ? dayjs(`${props.value}-01`) : null}
      onChange={(d) => props.onChange(d ? d.format('YYYY-MM') : undefined)}
      allowClear={props.allowClear ?? false}
      disabledDate={(d) => d.isAfter(dayjs(), 'month')}
      placeholder={t('evaluation.month')}
      style={{ width: 130 }}
      data-testid={props.testId ?? 'evaluation-month'}
    />
  );
}

const GRADE_COLORS: Record<Grade, string> = { excellent: 'green', good: 'blue', pass: 'gold', fail: 'red' };

export function GradeTag({ grade }: { grade: Grade }) {
  const { t } = useI18n();
  return <Tag color={GRADE_COLORS[grade]}>{t(`evaluation.grade.${grade}`)}</Tag>;
}

/** The scored months, newest first (staff), and the newest as the default choice. */
export function useScoredMonths(): { months: { month: string; published: boolean }[]; loaded: boolean; reload: () => void } {
  const [months, setMonths] = useState<{ month: string; published: boolean }[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    evaluationApi
      .months(controller.signal)
      .then((r) => setMonths(r.items))
      .catch(() => setMonths([]))
      .finally(() => setLoaded(true));
    return () => controller.abort();
  }, [tick]);
  return { months, loaded, reload: () => setTick((n) => n + 1) };
}

/** The month before the current one (the default month to compute). */
export function previousMonth(): string {
  return dayjs().subtract(1, 'month').format('YYYY-MM');
}
