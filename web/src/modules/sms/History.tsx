// The sending history: counts per status (click one to filter), a number filter, the messages newest first, and a
// test send for holders of sms.send.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { CursorPager, useCursorList } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { phoneColumns } from '../../components/phoneColumns.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { SMS_STATUSES, smsApi, type SmsHistory, type SmsMessage, type SmsStatus } from './api.ts';
import { useSmsT } from './messages.ts';

const STATUS_COLORS: Record<SmsStatus, string> = { queued: 'default', sent: 'processing', delivered: 'success', failed: 'error', opted_out: 'warning' };
const MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;

function SendModal({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const t = useSmsT();
  const { t: tc } = useI18n();
  const { message } = AntApp.useApp();
  return (
    <FormModal<{ to: string; text: string }, unknown>
      testId="sms-send-form"
      title={t('sendTitle')}
      okText={t('send')}
      onCancel={onCancel}
      onSubmit={async (v) => {
        const queued = await smsApi.send({ to: v.to.trim(), text: v.text, purpose: 'console.manual' });
        void message.success(queued.holdUntil ? t('heldUntil', { time: formatDateTime(queued.holdUntil) }) : t('sent'));
        return queued;
      }}
      onDone={onDone}
    >
      <Form.Item name="to" label={t('to')} rules={[requiredRule(tc), { pattern: MOBILE, message: t('to') }]}>
        <Input inputMode="tel" maxLength={14} autoComplete="off" />
      </Form.Item>
      <Form.Item name="text" label={t('text')} rules={[requiredRule(tc)]}>
        <Input.TextArea rows={4} maxLength={670} showCount />
      </Form.Item>
    </FormModal>
  );
}

export function History({ canSend }: { canSend: boolean }) {
  const t = useSmsT();
  const phone = usePhoneLayout();
  const [status, setStatus] = useState<SmsStatus | undefined>();
  const [number, setNumber] = useState('');
  const [sending, setSending] = useState(false);
  const [counts, setCounts] = useState<SmsHistory['counts'] | null>(null);
  const filterNumber = MOBILE.test(number.trim()) ? number.trim() : undefined;
  const list = useCursorList<SmsMessage>(
    `${status ?? ''}|${filterNumber ?? ''}`,
    async (cursor, signal, limit) => {
      const page = await smsApi.history({ status, number: filterNumber, cursor, limit }, signal);
      setCounts(page.counts);
      return page;
    },
    { choosePageSize: true },
  );
  const statusTag = (s: SmsStatus) => <Tag color={STATUS_COLORS[s]}>{t(`status.${s}`)}</Tag>;
  const columns: TableColumnsType<SmsMessage> = [
    { title: t('to'), key: 'to', width: 130, render: (_, m) => <span className="mono">{m.to}</span> },
    {
      title: t('body'),
      key: 'body',
      render: (_, m) => (
        <Space direction="vertical" size={0}>
          <Typography.Text>{m.body}</Typography.Text>
          {m.holdUntil && m.status === 'queued' ? <Typography.Text type="secondary">{t('heldUntil', { time: formatDateTime(m.holdUntil) })}</Typography.Text> : null}
          {m.error ? <Typography.Text type="danger">{m.error}</Typography.Text> : null}
        </Space>
      ),
    },
    { title: t('status.all'), key: 'status', width: 110, render: (_, m) => <Space size={4}>{statusTag(m.status)}{m.urgent ? <Tag color="red">{t('urgent')}</Tag> : null}</Space> },
    { title: t('segments'), key: 'segments', width: 70, dataIndex: 'segments' },
    { title: t('purpose'), key: 'purpose', width: 150, dataIndex: 'purpose' },
    { title: t('createdAt'), key: 'createdAt', width: 170, render: (_, m) => formatDateTime(m.createdAt) },
  ];
  const shown = phoneColumns(columns, phone, { key: 'to', title: t('to'), width: 150, primary: (m) => m.to, secondary: (m) => statusTag(m.status), folds: ['status'] });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap data-testid="sms-counts">
        <Tag.CheckableTag checked={status === undefined} onChange={() => setStatus(undefined)}>
          {t('status.all')} {counts ? Object.values(counts).reduce((a, b) => a + b, 0) : ''}
        </Tag.CheckableTag>
        {SMS_STATUSES.map((s) => (
          <Tag.CheckableTag key={s} checked={status === s} onChange={(on) => setStatus(on ? s : undefined)} data-testid={`sms-count-${s}`}>
            {t(`status.${s}`)} {counts?.[s] ?? ''}
          </Tag.CheckableTag>
        ))}
      </Space>
      <Space wrap>
        <Input.Search allowClear placeholder={t('numberFilter')} style={{ width: phone ? '100%' : 240 }} onSearch={setNumber} inputMode="tel" />
        {canSend ? (
          <Button type="primary" icon={<SendOutlined />} onClick={() => setSending(true)}>
            {t('send')}
          </Button>
        ) : null}
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<SmsMessage> rowKey="id" size="small" columns={shown} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: phone ? 640 : undefined }} />
      <CursorPager list={list} />
      {sending ? (
        <SendModal
          onCancel={() => setSending(false)}
          onDone={() => {
            setSending(false);
            list.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
