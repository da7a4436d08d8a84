// Cells the OA pages share: status, urgency and kind tags.
import { Tag } from 'antd';
import { useI18n } from '../../context.tsx';
import type { OaDocument } from './api.ts';

const STATUS_COLORS: Record<OaDocument['status'], string> = { draft: 'default', sent: 'processing', withdrawn: 'default', archived: 'success' };
const URGENCY_COLORS: Record<OaDocument['urgency'], string> = { normal: 'default', urgent: 'orange', very_urgent: 'red' };

export function StatusTag({ status }: { status: OaDocument['status'] }) {
  const { tx } = useI18n();
  return <Tag color={STATUS_COLORS[status]}>{tx(`oa.status.${status}`, status)}</Tag>;
}

export function UrgencyTag({ urgency }: { urgency: OaDocument['urgency'] }) {
  const { tx } = useI18n();
  return <Tag color={URGENCY_COLORS[urgency]}>{tx(`oa.urgency.${urgency}`, urgency)}</Tag>;
}

export function KindTag({ kind }: { kind: OaDocument['kind'] }) {
  const { tx } = useI18n();
  return <Tag color={kind === 'official' ? 'blue' : 'cyan'}>{tx(`oa.kind.${kind}`, kind)}</Tag>;
}
