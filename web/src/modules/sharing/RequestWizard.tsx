// /sharing/requests/new?resource=<code> — the request wizard: choose the resource → its items with share-type tags
// ('none' items disabled, with their legal basis) → purpose, legal basis, system, period, region → review → submit.
// One idempotency key per wizard, so a double click or a retry submits once.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Descriptions, Form, Input, Result, Select, Space, Steps, Tag, Tooltip, Typography } from 'antd';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate, searchParam, useLocation } from '../../router.tsx';
import { sharingApi, type RequestOptions, type SharingRequest } from './api.ts';

/** The day before the same date a year later: a period of at most one year. */
function yearAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const TYPE_COLORS = { unconditional: 'green', conditional: 'orange', none: 'default' } as const;

export default function RequestWizard() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const [code, setCode] = useState(searchParam(location.search, 'resource') ?? '');
  const [options, setOptions] = useState<RequestOptions | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [items, setItems] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [clientAppId, setClientAppId] = useState<string | null>(null);
  const [period, setPeriod] = useState<[string, string] | null>(null);
  const [regionPrefix, setRegionPrefix] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<SharingRequest | null>(null);
  const key = useMemo(() => crypto.randomUUID(), []);

  const load = async (resource: string) => {
    setLoadError(null);
    try {
      const found = await sharingApi.options(resource.trim());
      setOptions(found);
      setItems([]);
      setPeriod([found.today, yearAfter(found.today)]);
      setStep(1);
    } catch (err) {
      setOptions(null);
      setLoadError(problem(err));
    }
  };
  useEffect(() => {
    const initial = searchParam(location.search, 'resource');
    if (initial) void load(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the link's resource
  }, []);

  const detailsComplete = purpose.trim() !== '' && legalBasis.trim() !== '' && period !== null && period[0] !== '' && period[1] >= period[0];
  const submit = async () => {
    if (!options || !period) return;
    setSaving(true);
    setError(null);
    try {
      const created = await sharingApi.submit(
        {
          resource: options.resource.code,
          items,
          purpose: purpose.trim(),
          legalBasis: legalBasis.trim(),
          clientAppId,
          periodFrom: period[0],
          periodTo: period[1],
          regionPrefix: regionPrefix.trim() || null,
        },
        key,
      );
      setDone(created);
      void message.success(t('sharing.wizard.submitted', { number: created.number }));
    } catch (err) {
      setError(problem(err));
    } finally {
      setSaving(false);
    }
  };

  if (done) {
    return (
      <div className="page">
        <Result
          status="success"
          title={t('sharing.wizard.submitted', { number: done.number })}
          subTitle={
            <Space direction="vertical" data-testid="wizard-done">
              <span>
                {t('sharing.status')}：{tx(`sharing.status.${done.status}`, done.status)}
                {done.deadline ? ` · ${t('sharing.deadline')}：${done.deadline}` : ''}
              </span>
              {done.unconditionalShareId ? <span>{t('sharing.wizard.grantedNow')}</span> : null}
            </Space>
          }
          extra={<Button onClick={() => navigate('/sharing/requests')}>{t('nav.sharing.requests')}</Button>}
        />
      </div>
    );
  }

  const itemName = (c: string) => options?.items.find((i) => i.code === c)?.name ?? c;
  return (
    <div className="page">
      <PageHeader title={t('sharing.wizard.title')} />
      <Steps
        current={step}
        size="small"
        responsive
        style={{ marginBottom: 16 }}
        items={[{ title: t('sharing.wizard.step.resource') }, { title: t('sharing.wizard.step.items') }, { title: t('sharing.wizard.step.details') }, { title: t('sharing.wizard.step.review') }]}
      />
      <Card>
        {step === 0 ? (
          <Form layout="vertical" onFinish={() => void load(code)}>
            <Form.Item label={t('sharing.wizard.resourceCode')} validateStatus={loadError ? 'error' : undefined} help={loadError ?? undefined}>
              <Space.Compact style={{ width: '100%', maxWidth: 480 }}>
                <Input value={code} onChange={(e) => setCode(e.target.value)} maxLength={64} data-testid="wizard-resource" />
                <Button type="primary" htmlType="submit" disabled={code.trim() === ''} data-testid="wizard-load">
                  {t('sharing.wizard.load')}
                </Button>
              </Space.Compact>
            </Form.Item>
          </Form>
        ) : null}
        {step === 1 && options ? (
          <>
            <Typography.Title level={5}>
              {options.resource.name} <Typography.Text type="secondary">· {options.resource.provider.name}</Typography.Text>
            </Typography.Title>
            <Alert type="info" showIcon message={t('sharing.wizard.itemsHint')} style={{ marginBottom: 12 }} />
            <Checkbox.Group value={items} onChange={(v) => setItems(v as string[])} style={{ display: 'block' }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {options.items.map((i) => {
                  const row = (
                    <Checkbox value={i.code} disabled={i.shareType === 'none'} data-testid={`wizard-item-${i.code}`}>
                      {i.name} <span className="mono">({i.code})</span> <Tag color={TYPE_COLORS[i.shareType]}>{tx(`sharing.shareType.${i.shareType}`, i.shareType)}</Tag>
                      {i.shareType === 'none' && i.legalBasis ? <Typography.Text type="secondary">{i.legalBasis}</Typography.Text> : null}
                    </Checkbox>
                  );
                  return (
                    <div key={i.code} data-testid={`wizard-row-${i.code}`}>
                      {i.legalBasis && i.shareType !== 'none' ? <Tooltip title={i.legalBasis}>{row}</Tooltip> : row}
                    </div>
                  );
                })}
              </Space>
            </Checkbox.Group>
          </>
        ) : null}
        {step === 2 && options ? (
          <Form layout="vertical" style={{ maxWidth: 640 }}>
            <Form.Item label={t('sharing.purpose')} required>
              <Input.TextArea rows={2} maxLength={500} value={purpose} onChange={(e) => setPurpose(e.target.value)} data-testid="wizard-purpose" />
            </Form.Item>
            <Form.Item label={t('sharing.legalBasis')} required>
              <Input.TextArea rows={2} maxLength={500} value={legalBasis} onChange={(e) => setLegalBasis(e.target.value)} data-testid="wizard-legal-basis" />
            </Form.Item>
            <Form.Item label={t('sharing.system')}>
              <Select<string | null>
                value={clientAppId}
                onChange={setClientAppId}
                options={[{ value: null as unknown as string, label: t('sharing.noSystem') }, ...options.clientApps.map((a) => ({ value: a.id, label: a.name }))]}
                data-testid="wizard-system"
              />
            </Form.Item>
            <Form.Item label={t('sharing.period')} required>
              <Space wrap>
                <Input type="date" min={options.today} value={period?.[0] ?? ''} onChange={(e) => setPeriod([e.target.value, period?.[1] ?? ''])} data-testid="wizard-from" />
                <span>~</span>
                <Input type="date" min={period?.[0] ?? options.today} value={period?.[1] ?? ''} onChange={(e) => setPeriod([period?.[0] ?? '', e.target.value])} data-testid="wizard-to" />
              </Space>
            </Form.Item>
            <Form.Item label={t('sharing.region')} extra={t('sharing.wizard.regionHint')}>
              <Input value={regionPrefix} onChange={(e) => setRegionPrefix(e.target.value.replace(/\D/g, ''))} maxLength={12} placeholder={options.consumer?.regionCode} data-testid="wizard-region" />
            </Form.Item>
          </Form>
        ) : null}
        {step === 3 && options && period ? (
          <>
            <Descriptions column={1} bordered size="small" data-testid="wizard-review">
              <Descriptions.Item label={t('sharing.resource')}>{options.resource.name}</Descriptions.Item>
              <Descriptions.Item label={t('sharing.provider')}>{options.resource.provider.name}</Descriptions.Item>
              <Descriptions.Item label={t('sharing.items')}>{items.map(itemName).join('、')}</Descriptions.Item>
              <Descriptions.Item label={t('sharing.purpose')}>{purpose}</Descriptions.Item>
              <Descriptions.Item label={t('sharing.legalBasis')}>{legalBasis}</Descriptions.Item>
              <Descriptions.Item label={t('sharing.system')}>{options.clientApps.find((a) => a.id === clientAppId)?.name ?? t('sharing.noSystem')}</Descriptions.Item>
              <Descriptions.Item label={t('sharing.period')}>
                {period[0]} ~ {period[1]}
              </Descriptions.Item>
              <Descriptions.Item label={t('sharing.region')}>{regionPrefix || '—'}</Descriptions.Item>
            </Descriptions>
            {error ? <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="wizard-error" /> : null}
          </>
        ) : null}
        {step > 0 ? (
          <Space style={{ marginTop: 16 }} wrap>
            <Button onClick={() => setStep(step - 1)} data-testid="wizard-back">
              {t('sharing.wizard.back')}
            </Button>
            {step < 3 ? (
              <Button type="primary" disabled={(step === 1 && items.length === 0) || (step === 2 && !detailsComplete)} onClick={() => setStep(step + 1)} data-testid="wizard-next">
                {t('sharing.wizard.next')}
              </Button>
            ) : (
              <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="wizard-submit">
                {t('sharing.wizard.submit')}
              </Button>
            )}
          </Space>
        ) : null}
      </Card>
    </div>
  );
}
