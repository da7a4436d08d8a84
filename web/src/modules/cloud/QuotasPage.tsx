// /cloud/quotas — 配额: each department's use against its limits (bars), fullest first; cloud.manage changes a limit
// (the server refuses one below what is in use, naming the dimension).
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, InputNumber, Modal, Progress, Table } from 'antd';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { cloudApi, type QuotaBody, type QuotaView } from './api.ts';
import { fullness } from './BarChart.tsx';

const PAGE = 20;
type Dim = QuotaView['vcpus'];

export default function QuotasPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const manage = useAuth().can('cloud.manage');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<QuotaView | null>(null);
  const [form] = Form.useForm<QuotaBody>();
  const list = useFetch(`quotas:${q ?? ''}:${page}`, (signal) => cloudApi.quotas({ q, offset: (page - 1) * PAGE, limit: PAGE }, signal));
  const bar = (d: Dim, scale = 1, unit = '') => <Progress percent={d.pct} size="small" strokeColor={fullness(d.pct)} format={() => `${Math.round(d.used / scale)}/${Math.round(d.limit / scale)}${unit}`} />;
  const save = async () => {
    if (!editing) return;
    const values = await form.validateFields();
    try {
      await cloudApi.setQuota(editing.department.id, { ...values, memoryMbLimit: values.memoryMbLimit * 1024 });
      void message.success(t('cloud.saved'));
      setEditing(null);
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };
  return (
    <div className="page" data-testid="cloud-quotas">
      <PageHeader title={t('cloud.quotas.title')} />
      <Input.Search allowClear placeholder={t('cloud.department')} onSearch={(v) => (setQ(v || undefined), setPage(1))} style={{ width: 240, marginBottom: 12 }} />
      {list.error ? <ErrorAlert error={list.error} /> : null}
      <Table<QuotaView>
        rowKey={(r) => r.department.id}
        size="small"
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'dept', title: t('cloud.department'), width: 200, fixed: 'left', render: (_, r) => r.department.name },
          { key: 'vcpus', title: t('cloud.quota.vcpus'), width: 150, render: (_, r) => bar(r.vcpus) },
          { key: 'memory', title: t('cloud.quota.memory'), width: 150, render: (_, r) => bar(r.memoryMb, 1024) },
          { key: 'disk', title: t('cloud.quota.disk'), width: 150, render: (_, r) => bar(r.diskGb) },
          { key: 'vms', title: t('cloud.quota.vms'), width: 130, render: (_, r) => bar(r.vms) },
          ...(manage
            ? [
                {
                  key: 'edit',
                  title: '',
                  width: 100,
                  render: (_: unknown, r: QuotaView) => (
                    <Button size="small" onClick={() => (form.setFieldsValue({ vcpusLimit: r.vcpus.limit, memoryMbLimit: Math.round(r.memoryMb.limit / 1024), diskGbLimit: r.diskGb.limit, vmsLimit: r.vms.limit }), setEditing(r))}>
                      {t('cloud.quota.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal open={editing !== null} title={`${t('cloud.quota.edit')} · ${editing?.department.name ?? ''}`} onOk={() => void save()} onCancel={() => setEditing(null)} okText={t('cloud.save')} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="vcpusLimit" label={t('cloud.quota.vcpus')} extra={editing ? t('cloud.quota.used', { used: editing.vcpus.used, limit: editing.vcpus.limit }) : null} rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="memoryMbLimit" label={t('cloud.quota.memory')} extra={editing ? t('cloud.quota.used', { used: Math.round(editing.memoryMb.used / 1024), limit: Math.round(editing.memoryMb.limit / 1024) }) : null} rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="diskGbLimit" label={t('cloud.quota.disk')} extra={editing ? t('cloud.quota.used', { used: editing.diskGb.used, limit: editing.diskGb.limit }) : null} rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="vmsLimit" label={t('cloud.quota.vms')} extra={editing ? t('cloud.quota.used', { used: editing.vms.used, limit: editing.vms.limit }) : null} rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
