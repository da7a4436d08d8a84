// /cloud/requests/new — 申请云主机: flavour, image, disk, zone and business system from what the department may use,
// with the department's quota left beside the form (the server reserves it on submission and says which dimension ran out).
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Form, Input, InputNumber, Progress, Row, Select, Space, Spin } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { selfserviceApi, type NewRequest, type RequestOptions } from './api.ts';
import type { Key } from './parts.tsx';

interface Values {
  name: string;
  flavourCode: string;
  imageCode: string;
  diskGb: number;
  zoneCode: string;
  businessSystemId: string;
  haGroup?: string;
  reason: string;
}

export default function NewRequestPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [options, setOptions] = useState<RequestOptions | null>(null);
  const [busy, setBusy] = useState(false);
  // one key per form: a double click or a retry after a lost answer is the same request
  const requestKey = useMemo(() => crypto.randomUUID(), []);

  useEffect(() => {
    const controller = new AbortController();
    selfserviceApi
      .options(controller.signal)
      .then(setOptions)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [message, problem]);

  const imageCode = Form.useWatch('imageCode', form);
  const minDisk = options?.images.find((i) => i.code === imageCode)?.minDiskGb ?? 1;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body: NewRequest = { ...v, haGroup: v.haGroup?.trim() ? v.haGroup.trim() : null, requestKey };
      const created = await selfserviceApi.create(body);
      void message.success(t('selfservice.submitted', { no: created.requestNo }));
      navigate(`/cloud/requests/${created.id}`);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };

  if (!options) return <Spin style={{ margin: 48 }} />;
  const q = options.quota;
  const p = options.policy;
  return (
    <div className="page">
      <PageHeader
        title={
          <Space>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/cloud/requests')} />
            {t('selfservice.new.title')}
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Form form={form} layout="vertical" initialValues={{ diskGb: 40 }}>
              <Form.Item name="name" label={t('selfservice.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
                <Input data-testid="selfservice-name" />
              </Form.Item>
              <Form.Item name="flavourCode" label={t('selfservice.flavour')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" data-testid="selfservice-flavour" options={options.flavours.map((f) => ({ value: f.code, label: `${f.name}（${f.vcpus} vCPU / ${f.memoryMb / 1024} GB）` }))} />
              </Form.Item>
              <Form.Item name="imageCode" label={t('selfservice.image')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" data-testid="selfservice-image" options={options.images.map((i) => ({ value: i.code, label: `${i.name}（${i.os}）` }))} />
              </Form.Item>
              <Form.Item name="diskGb" label={t('selfservice.disk')} rules={[{ required: true }, { type: 'number', min: minDisk, max: 65536 }]}>
                <InputNumber min={1} max={65536} style={{ width: '100%' }} data-testid="selfservice-disk" />
              </Form.Item>
              <Form.Item name="zoneCode" label={t('selfservice.zone')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" data-testid="selfservice-zone" options={options.zones.map((z) => ({ value: z.code, label: z.name }))} />
              </Form.Item>
              <Form.Item name="businessSystemId" label={t('selfservice.system')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" data-testid="selfservice-system" options={options.businessSystems.map((b) => ({ value: b.id, label: `${b.name}（${b.code}）` }))} />
              </Form.Item>
              <Form.Item name="haGroup" label={t('selfservice.haGroup')} rules={[{ pattern: /^[A-Za-z0-9_.-]{1,60}$/ }]}>
                <Input />
              </Form.Item>
              <Form.Item name="reason" label={t('selfservice.reason')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
                <Input.TextArea rows={3} data-testid="selfservice-reason" />
              </Form.Item>
              <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="selfservice-submit">
                {t('selfservice.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('selfservice.quota')} data-testid="selfservice-quota">
            {q ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <QuotaLine label={t('selfservice.quota.vcpus')} used={q.vcpus.used} limit={q.vcpus.limit} />
                <QuotaLine label={t('selfservice.quota.memory')} used={q.memoryMb.used / 1024} limit={q.memoryMb.limit / 1024} />
                <QuotaLine label={t('selfservice.quota.disk')} used={q.diskGb.used} limit={q.diskGb.limit} />
                <QuotaLine label={t('selfservice.quota.vms')} used={q.vms.used} limit={q.vms.limit} />
              </Space>
            ) : (
              <Alert type="warning" message={t('selfservice.quota.none')} />
            )}
            {p.autoMaxVcpus > 0 && <Alert style={{ marginTop: 12 }} type="info" message={t('selfservice.policy.auto' as Key, { vcpus: p.autoMaxVcpus, memory: p.autoMaxMemoryMb / 1024, disk: p.autoMaxDiskGb })} />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function QuotaLine({ label, used, limit }: { label: string; used: number; limit: number }) {
  const left = Math.max(0, limit - used);
  return (
    <div>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <span>{label}</span>
        <span>
          {Math.round(left * 10) / 10} / {Math.round(limit * 10) / 10}
        </span>
      </Space>
      <Progress percent={limit > 0 ? Math.round((used / limit) * 100) : 100} size="small" showInfo={false} status={left <= 0 ? 'exception' : 'normal'} />
    </div>
  );
}
