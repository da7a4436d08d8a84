// The templates usable in the caller's jurisdiction, with their length in SMS segments; new and delete for senders.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormModal } from '../../components/FormModal.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { noticesApi, type NoticeTemplate } from './api.ts';
import { useNoticesT } from './useNoticesT.ts';

export function Templates({ canSend }: { canSend: boolean }) {
  const t = useNoticesT();
  const phone = usePhoneLayout();
  const { message } = AntApp.useApp();
  const [adding, setAdding] = useState(false);
  const list = useFetch('notice-templates', (signal) => noticesApi.templates(signal));
  const vars = (list.data?.variables ?? []).map((v) => `{${v.zh}}`).join(' ');
  return (
    <>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {canSend ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          {t('template.new')}
        </Button>
      ) : null}
      <Table<NoticeTemplate>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: phone ? 560 : undefined }}
        pagination={false}
        columns={[
          { key: 'name', title: t('template.name'), dataIndex: 'name', width: 180 },
          { key: 'body', title: t('template.body'), dataIndex: 'body', render: (_v, r) => <Typography.Text>{r.body}</Typography.Text> },
          { key: 'length', title: t('template.length'), width: 130, render: (_v, r) => <Tag>{t('template.segments', { chars: r.chars, segments: r.segments })}</Tag> },
          {
            key: 'actions',
            title: '',
            width: 80,
            render: (_v, r) =>
              r.editable ? (
                <Popconfirm
                  title={t('template.confirmDelete', { name: r.name })}
                  onConfirm={async () => {
                    await noticesApi.deleteTemplate(r.id);
                    list.reload();
                  }}
                >
                  <Button size="small" danger>
                    {t('template.delete')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      {adding ? (
        <FormModal<{ name: string; body: string }, NoticeTemplate>
          testId="notice-template-form"
          title={t('template.new')}
          okText={t('common.save')}
          onCancel={() => setAdding(false)}
          onSubmit={(v) => noticesApi.createTemplate({ name: v.name, body: v.body })}
          onDone={() => {
            setAdding(false);
            void message.success(t('template.saved'));
            list.reload();
          }}
        >
          <Form.Item name="name" label={t('template.name')} rules={[{ required: true, max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="body" label={t('template.body')} extra={vars} rules={[{ required: true }]}>
            <Input.TextArea rows={4} maxLength={670} showCount />
          </Form.Item>
        </FormModal>
      ) : null}
    </>
  );
}
