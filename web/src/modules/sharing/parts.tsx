// Cells the sharing pages share: a request's status and its deadline with the working days left (overdue in red).
import { Tag, Tooltip, Typography } from 'antd';
import { useI18n } from '../../context.tsx';
import type { SharingRequest } from './api.ts';

const STATUS_COLORS: Record<SharingRequest['status'], string> = {
  granted: 'success',
  pending: 'processing',
  escalated: 'error',
  approved: 'success',
  partially_approved: 'gold',
  refused: 'default',
  withdrawn: 'default',
};

export function RequestStatus({ status }: { status: SharingRequest['status'] }) {
  const { tx } = useI18n();
  return <Tag color={STATUS_COLORS[status]}>{tx(`sharing.status.${status}`, status)}</Tag>;
}

export function Deadline({ row }: { row: SharingRequest }) {
  const { t } = useI18n();
  if (!row.deadline) return <>—</>;
  const left = row.workingDaysLeft;
  const overdue = left !== null && left < 0;
  const text = (
    <span data-testid={`deadline-${row.id}`}>
      {row.deadline}
      {left !== null ? (
        <Typography.Text type={overdue ? 'danger' : left <= 2 ? 'warning' : 'secondary'} style={{ marginInlineStart: 6, fontSize: 12 }}>
          {overdue ? t('sharing.overdue', { n: -left }) : t('sharing.daysLeft', { n: left })}
        </Typography.Text>
      ) : null}
    </span>
  );
  return row.deadlineProvisional ? <Tooltip title={t('sharing.provisional')}>{text}*</Tooltip> : text;
}
