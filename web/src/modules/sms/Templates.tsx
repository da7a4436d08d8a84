// SMS templates: list, create / edit (the variables are read from the body; the server refuses a body whose
// placeholders differ from them, naming the field), delete.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Popconfirm, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { placeholdersOf, smsApi, type SmsTemplate } from './api.ts';
import { useSmsT } from './useSmsT.ts';
import { useFetch } from '../../components/useFetch.ts';

const CODE = /^[a-z][a-z0-9_.]{0,63}$/;

function TemplateModal({ template, onDone, onCancel }: { template: SmsTemplate | null; onDone: () => void; onCancel: () => void }) {
  const t = useSmsT();
  const { t: tc } = useI18n();
  const { message } = AntApp.useApp();
  return (
    <FormModal<{ code: string; name: string; body: string }, SmsTemplate>
      testId="sms-template-form"
      title={template ? t('template.edit', { code: template.code }) : t('template.new')}
      okText={t('common.save')}
      width={640}
      initialValues={template ?? {}}
      onCancel={onCancel}
      // the declared variables are the body's placeholders; a malformed one is reported by the server on `body`
      fieldMap={{ variables: 'body' }}
      onSubmit={async (v) => {
        const saved = await smsApi.saveTemplate(v.code.trim(), { name: v.name.trim(), body: v.body, variables: placeholdersOf(v.body) });
        void message.success(t('template.saved'));
        return saved;
      }}
      onDone={onDone}
    >
      <Form.Item name="code" label={t('template.code')} rules={[requiredRule(tc), { pattern: CODE, message: 'a-z 0-9 . _' }]}>
        <Input disabled={template !== null} maxLength={64} placeholder="approval.done" />
      </Form.Item>
      <Form.Item name="name" label={t('template.name')} rules={[requiredRule(tc)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="body" label={t('template.body')} extra={t('template.bodyHelp')} rules={[requiredRule(tc)]}>
        <Input.TextArea rows={4} maxLength={600} showCount />
      </Form.Item>
    </FormModal>
  );
}

export function Templates({ canManage }: { canManage: boolean }) {
  const t = useSmsT();
  const phone = usePhoneLayout();
  const { message } = AntApp.useApp();
  const { data: rows, loading, error, reload: load } = useFetch('sms.templates', smsApi.templates);
  const [editing, setEditing] = useState<SmsTemplate | null | undefined>(undefined);
  const columns: TableColumnsType<SmsTemplate> = [
    { title: t('template.code'), key: 'code', width: phone ? 130 : 180, render: (_, r) => <span className="mono">{r.code}</span> },
    { title: t('template.name'), key: 'name', dataIndex: 'name', width: 140 },
    { title: t('template.body'), key: 'body', dataIndex: 'body' },
    { title: t('template.variables'), key: 'variables', width: 160, render: (_, r) => r.variables.map((v) => <Tag key={v}>{v}</Tag>) },
    { title: t('createdAt'), key: 'updatedAt', width: 170, render: (_, r) => formatDateTime(r.updatedAt) },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      width: 150,
      render: (_, r) => (
        <Space>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('template.confirmDelete', { code: r.code })}
            onConfirm={async () => {
              await smsApi.deleteTemplate(r.code);
              void message.success(t('template.deleted'));
              load();
            }}
          >
            <Button size="small" danger>
              {t('template.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {canManage ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
          {t('template.new')}
        </Button>
      ) : null}
      {error ? <ErrorAlert error={error} onRetry={load} /> : null}
      <Table<SmsTemplate> rowKey="code" size="small" columns={columns} dataSource={rows ?? []} loading={loading} pagination={false} scroll={{ x: phone ? 760 : undefined }} />
      {editing !== undefined ? (
        <TemplateModal
          template={editing}
          onCancel={() => setEditing(undefined)}
          onDone={() => {
            setEditing(undefined);
            load();
          }}
        />
      ) : null}
    </Space>
  );
}
