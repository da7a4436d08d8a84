// Shared pieces of the supervision pages: tags for levels and states, rule labels, an object's audit trail, and the
// forms (issue an order on a warning, explain a card, a note for a decision).
import { useEffect, useState } from 'react';
import { App as AntApp, Empty, Form, Input, InputNumber, Modal, Spin, Tag, Timeline, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { supervisionApi, type AuditItem, type Order, type Warning } from './api.ts';
import type { zh } from './messages.ts';

export type Key = keyof typeof zh;

const LEVEL_COLORS: Record<string, string> = { prompt: 'blue', yellow: 'gold', red: 'red', irregular: 'purple' };
const WARNING_STATE_COLORS: Record<string, string> = { open: 'error', explained: 'processing', closed: 'default' };
const ORDER_STATE_COLORS: Record<Order['state'], string> = { issued: 'orange', responded: 'processing', rectified: 'success', reopened: 'volcano', closed: 'default' };
export const LEVELS = ['prompt', 'yellow', 'red', 'irregular'] as const;
export const CASE_RULES = [
  'deadline.prompt',
  'promised.passed',
  'statutory.passed',
  'yellow.outlived',
  'irregular.concluded_before_accepted',
  'irregular.step_skipped',
  'irregular.fee_on_free_item',
  'irregular.repeated_correction',
  'irregular.refusal_without_reason',
  'irregular.late_entry',
] as const;

export function LevelTag({ level }: { level: string }) {
  const { tx } = useI18n();
  return <Tag color={LEVEL_COLORS[level] ?? 'default'}>{tx(`supervision.level.${level}`, level)}</Tag>;
}

export function WarningStateTag({ state }: { state: string }) {
  const { tx } = useI18n();
  return <Tag color={WARNING_STATE_COLORS[state] ?? 'default'}>{tx(`supervision.warningState.${state}`, state)}</Tag>;
}

export function OrderStateTag({ state }: { state: Order['state'] }) {
  const { t } = useI18n();
  return <Tag color={ORDER_STATE_COLORS[state]}>{t(`supervision.order.state.${state}` as Key)}</Tag>;
}

/** The rule's label: the approval rules by name, the supervised matters' ones as such with their key. */
export function useRuleLabel(): (rule: string) => string {
  const { t, tx } = useI18n();
  return (rule) => (rule.startsWith('matter.') ? `${t('supervision.rule.matter')} ${rule.slice('matter.'.length)}` : tx(`supervision.rule.${rule}`, rule));
}

/** The percentage of a 0–1 rate, one decimal. */
export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** The audit records of some objects (case, warning, order), newest first; shown only to holders of audit.read. */
export function AuditTrail({ objectIds }: { objectIds: string[] }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const allowed = can('audit.read');
  const [items, setItems] = useState<AuditItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = objectIds.join(',');
  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    setItems(null);
    Promise.all(key.split(',').map((id) => supervisionApi.audit(id, controller.signal)))
      .then((pages) => {
        const seen = new Map<string, AuditItem>();
        for (const page of pages) for (const item of page.items) seen.set(item.seq, item);
        setItems([...seen.values()].sort((a, b) => Number(b.seq) - Number(a.seq)));
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [key, allowed]);
  if (!allowed) return <Typography.Text type="secondary">{t('supervision.audit.denied')}</Typography.Text>;
  if (error) return <ErrorAlert error={error} />;
  if (items === null) return <Spin size="small" />;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('supervision.audit.none')} />;
  return (
    <Timeline
      data-testid="supervision-audit"
      items={items.map((r) => ({
        color: r.outcome === 'success' ? 'green' : 'red',
        children: (
          <div>
            <div>
              <strong>{lang === 'zh-CN' ? r.actionLabel.zh : r.actionLabel.en}</strong> <Typography.Text type="secondary">{formatDateTime(r.at)}</Typography.Text>
            </div>
            <Typography.Text type="secondary">{[r.actorDisplayName ?? r.actorName ?? '—', r.departmentName].filter(Boolean).join(' · ')}</Typography.Text>
          </div>
        ),
      }))}
    />
  );
}

/** 下发督办 on a warning: the requirement and the answer deadline in working days. */
export function IssueOrderModal({ warning, onClose }: { warning: Pick<Warning, 'id' | 'summary'>; onClose: (order?: Order) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ content: string; deadlineDays: number }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const order = await supervisionApi.issue({ warningId: warning.id, content: v.content.trim(), deadlineDays: v.deadlineDays });
      void message.success(t('supervision.order.issued', { no: order.orderNo }));
      onClose(order);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('supervision.order.issue')} onCancel={() => onClose()} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'supervision-issue-ok' }} destroyOnHidden>
      <Typography.Paragraph type="secondary">{warning.summary}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ deadlineDays: 5 }}>
        <Form.Item name="content" label={t('supervision.order.content')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
          <Input.TextArea rows={4} placeholder={t('supervision.order.contentPlaceholder')} data-testid="supervision-issue-content" />
        </Form.Item>
        <Form.Item name="deadlineDays" label={t('supervision.order.deadlineDays')} rules={[{ required: true, type: 'integer', min: 1, max: 60 }]}>
          <InputNumber min={1} max={60} precision={0} style={{ width: 160 }} data-testid="supervision-issue-days" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * One text field in a modal (an answer, an explanation, a decision note): `required` says whether it may be empty.
 * Resolves with the trimmed text, or null when left empty.
 */
export function TextModal({ title, label, placeholder, required, requiredMessage, onSubmit, onClose, testId }: { title: string; label: string; placeholder?: string; required: boolean; requiredMessage?: string; onSubmit: (text: string | null) => Promise<void>; onClose: () => void; testId: string }) {
  const { problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await onSubmit(v.text?.trim() ? v.text.trim() : null);
      onClose();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': `${testId}-ok` }} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="text" label={label} rules={[{ required, whitespace: true, message: requiredMessage }, { max: 2000 }]}>
          <Input.TextArea rows={4} placeholder={placeholder} data-testid={testId} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
