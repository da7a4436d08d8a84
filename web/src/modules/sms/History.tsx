// The sending history: counts per status (click one to filter), a number filter, the messages newest first, and a
// test send for holders of sms.send.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Space, Tag, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { SMS_STATUSES, smsApi, type SmsHistory, type SmsMessage, type SmsStatus } from './api.ts';
import { useSmsT } from './useSmsT.ts';

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
  const [input, setInput] = useState('');
  const [number, setNumber] = useState('');
  const [sending, setSending] = useState(false);
  const [counts, setCounts] = useState<SmsHistory['counts'] | null>(null);
  const filterNumber = MOBILE.test(number) ? number : undefined;
  const fetchPage: PageFetcher<SmsMessage> = async (cursor, signal, limit) => {
    const page = await smsApi.history({ status, number: filterNumber, cursor: cursor ?? undefined, limit }, signal);
    setCounts(page.counts);
    return page;
  };
  const list = useCursorList<SmsMessage>(`${status ?? ''}|${filterNumber ?? ''}`, fetchPage, { choosePageSize: true });
  const statusTag = (s: SmsStatus) => <Tag color={STATUS_COLORS[s]}>{t(`status.${s}`)}</Tag>;
  const columns: ListColumn<SmsMessage>[] = [
    { key: 'to', title: t('to'), dataIndex: 'to', width: 130, className: 'mono', required: true, sort: (m) => m.to },
    {
      key: 'body',
      title: t('body'),
      dataIndex: 'body',
      render: (m) => (
        <Space direction="vertical" size={0}>
          <Typography.Text>{m.body}</Typography.Text>
          {m.holdUntil && m.status === 'queued' ? <Typography.Text type="secondary">{t('heldUntil', { time: formatDateTime(m.holdUntil) })}</Typography.Text> : null}
          {m.error ? <Typography.Text type="danger">{m.error}</Typography.Text> : null}
        </Space>
      ),
    },
    {
      key: 'status',
      title: t('status.all'),
      dataIndex: 'status',
      width: 110,
      sort: (m) => m.status,
      render: (m) => (
        <Space size={4}>
          {statusTag(m.status)}
          {m.urgent ? <Tag color="red">{t('urgent')}</Tag> : null}
        </Space>
      ),
      exportValue: (m) => t(`status.${m.status}`),
    },
    { key: 'segments', title: t('segments'), dataIndex: 'segments', width: 70, sort: (m) => m.segments },
    { key: 'purpose', title: t('purpose'), dataIndex: 'purpose', width: 150, sort: (m) => m.purpose },
    { key: 'createdAt', title: t('createdAt'), dataIndex: 'createdAt', width: 170, sort: (m) => m.createdAt, render: (m) => formatDateTime(m.createdAt) },
  ];
  return (
    <>
      <ListPage<SmsMessage>
        id="sms-history"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={phone ? 640 : 900}
        phoneLead={{ key: 'to', width: 150, primary: (m) => m.to, secondary: (m) => statusTag(m.status), folds: ['status'] }}
        filters={
          <Space direction="vertical" size="small">
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
            <ListSearch value={input} onChange={setInput} onSearch={setNumber} placeholder={t('numberFilter')} width={240} testId="sms-number" />
          </Space>
        }
        toolbar={
          canSend ? (
            <Button type="primary" icon={<SendOutlined />} onClick={() => setSending(true)}>
              {t('send')}
            </Button>
          ) : null
        }
      />
      {sending ? (
        <SendModal
          onCancel={() => setSending(false)}
          onDone={() => {
            setSending(false);
            list.reload();
          }}
        />
      ) : null}
    </>
  );
}
