// Small shared pieces of the approval pages: the state tag and a clock cell (working days left, overdue, paused, provisional).
import { Space, Tag } from 'antd';
import { useI18n } from '../../context.tsx';
import type { CaseSummary } from './api.ts';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
const STATE_COLORS: Record<CaseSummary['state'], string> = { submitted: 'gold', accepted: 'blue', reviewing: 'processing', decided: 'cyan', concluded: 'green', delivered: 'success', rejected: 'default', withdrawn: 'default' };

export function StateTag({ state }: { state: CaseSummary['state'] }) {
  const { t } = useI18n();
  return <Tag color={STATE_COLORS[state]}>{t(`approval.state.${state}` as Key)}</Tag>;
}

export function ClockCell({ row, clock }: { row: Pick<CaseSummary, 'pausedSince' | 'provisional'>; clock: CaseSummary['statutory'] }) {
  const { t } = useI18n();
  if (clock.due === null) return <span>—</span>;
  return (
    <Space size={4} wrap>
      <span>{clock.due}</span>
      {clock.remaining !== null && <span>{clock.remaining >= 0 ? t('approval.remaining', { n: clock.remaining }) : t('approval.overdueBy', { n: -clock.remaining })}</span>}
      {clock.overdue && <Tag color="red">{t('approval.tag.overdue')}</Tag>}
      {row.pausedSince && <Tag color="orange">{t('approval.tag.paused')}</Tag>}
      {row.provisional && <Tag>{t('approval.tag.provisional')}</Tag>}
    </Space>
  );
}
