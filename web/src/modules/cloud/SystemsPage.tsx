// /cloud/systems — 业务系统: the business systems of the departments in the caller's jurisdiction with their VMs'
// totals; a department administrator (cloud.systems.manage) registers new ones.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, InputNumber, Modal, Table, Tag } from 'antd';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { cloudApi, type NewSystem, type SystemView } from './api.ts';

const PAGE = 20;

export default function SystemsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const manage = useAuth().can('cloud.systems.manage');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<NewSystem>();
  const list = useFetch(`systems:${q ?? ''}:${page}`, (signal) => cloudApi.systems({ q, offset: (page - 1) * PAGE, limit: PAGE }, signal));
  const save = async () => {
    const values = await form.validateFields();
    try {
      await cloudApi.createSystem(values);
      void message.success(t('cloud.saved'));
      setCreating(false);
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };
  return (
    <div className="page" data-testid="cloud-systems">
      <PageHeader title={t('cloud.systems.title')} extra={manage ? <Button type="primary" onClick={() => (form.setFieldsValue({ protectionLevel: 2 }), setCreating(true))}>{t('cloud.systems.new')}</Button> : null} />
      <Input.Search allowClear placeholder={t('cloud.search')} onSearch={(v) => (setQ(v || undefined), setPage(1))} style={{ width: 240, marginBottom: 12 }} />
      {list.error ? <ErrorAlert error={list.error} /> : null}
      <Table<SystemView>
        rowKey="id"
        size="small"
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'name', title: t('cloud.name'), width: 240, fixed: 'left', render: (_, s) => s.name },
          { key: 'code', title: t('cloud.code'), width: 170, render: (_, s) => s.code },
          { key: 'dept', title: t('cloud.department'), width: 200, render: (_, s) => s.department.name },
          { key: 'level', title: t('cloud.protection'), width: 90, render: (_, s) => t('cloud.protection.n', { n: s.protectionLevel }) },
          { key: 'vms', title: t('cloud.vmCount'), width: 80, render: (_, s) => s.vms },
          { key: 'shape', title: t('cloud.shape'), width: 120, render: (_, s) => `${s.vcpus}C / ${Math.round(s.memoryMb / 1024)}G` },
          { key: 'status', title: t('cloud.state'), width: 80, render: (_, s) => <Tag color={s.status === 'active' ? 'green' : 'default'}>{t(`cloud.status.${s.status}`)}</Tag> },
        ]}
      />
      <Modal open={creating} title={t('cloud.systems.new')} onOk={() => void save()} onCancel={() => setCreating(false)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="departmentId" label={t('cloud.department')} rules={[{ required: true }]}>
            <DepartmentSelect />
          </Form.Item>
          <Form.Item name="code" label={t('cloud.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{2,60}$/ }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('cloud.name')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="protectionLevel" label={t('cloud.protection')}>
            <InputNumber min={1} max={4} />
          </Form.Item>
          <Form.Item name="description" label={t('cloud.description')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
