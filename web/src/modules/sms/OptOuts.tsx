// The opt-out register (退订名单): numbers that replied TD or were registered by an administrator.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Popconfirm, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { smsApi, type SmsOptOut } from './api.ts';
import { useSmsT } from './useSmsT.ts';
import { useFetch } from '../../components/useFetch.ts';

export function OptOuts({ canManage }: { canManage: boolean }) {
  const t = useSmsT();
  const { t: tc } = useI18n();
  const phone = usePhoneLayout();
  const { message } = AntApp.useApp();
  const { data: rows, loading, error, reload: load } = useFetch('sms.optOuts', smsApi.optOuts);
  const [adding, setAdding] = useState(false);
  const columns: TableColumnsType<SmsOptOut> = [
    { title: t('to'), key: 'number', width: 130, render: (_, r) => <span className="mono">{r.number}</span> },
    { title: t('optOut.source'), key: 'source', width: 170, render: (_, r) => (r.source === 'reply' ? t('optOut.source.reply') : t('optOut.source.admin')) },
    { title: t('optOut.note'), key: 'note', render: (_, r) => r.note ?? '' },
    { title: t('createdAt'), key: 'createdAt', width: 170, render: (_, r) => formatDateTime(r.createdAt) },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      width: 120,
      render: (_, r) => (
        <Popconfirm
          title={`${t('optOut.remove')} ${r.number}?`}
          onConfirm={async () => {
            await smsApi.optIn(r.number);
            void message.success(t('optOut.removed'));
            load();
          }}
        >
          <Button size="small">{t('optOut.remove')}</Button>
        </Popconfirm>
      ),
    });
  }
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {canManage ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('optOut.add')}
        </Button>
      ) : null}
      {error ? <ErrorAlert error={error} onRetry={load} /> : null}
      <Table<SmsOptOut> rowKey="number" size="small" columns={columns} dataSource={rows ?? []} loading={loading} pagination={false} scroll={{ x: phone ? 620 : undefined }} />
      {adding ? (
        <FormModal<{ number: string; note?: string }, void>
          testId="sms-opt-out-form"
          title={t('optOut.add')}
          okText={t('common.save')}
          onCancel={() => setAdding(false)}
          onSubmit={async (v) => {
            await smsApi.optOut({ number: v.number.trim(), note: v.note?.trim() || null });
            void message.success(t('optOut.added'));
          }}
          onDone={() => {
            setAdding(false);
            load();
          }}
        >
          <Form.Item name="number" label={t('to')} rules={[requiredRule(tc)]}>
            <Input inputMode="tel" maxLength={14} />
          </Form.Item>
          <Form.Item name="note" label={t('optOut.note')}>
            <Input maxLength={200} />
          </Form.Item>
        </FormModal>
      ) : null}
    </Space>
  );
}
