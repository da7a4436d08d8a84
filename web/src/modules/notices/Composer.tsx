// The composer: a filter builder (region, sex, age, residence, labels, facts), a template or ad-hoc text with its
// sender fields, the channels, and a live preview (counts, longest text, the first recipients masked). Sending creates
// the notice under one request key (a double click is one notice) and sends it once.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Descriptions, Form, Input, InputNumber, List, Row, Select, Space, Spin, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { fetchRegionRoots } from '../../components/regionData.ts';
import { useFetch } from '../../components/useFetch.ts';
import { navigate } from '../../router.tsx';
import { noticesApi, type ComposeBody, type Filter, type Preview } from './api.ts';
import { useNoticesT } from './useNoticesT.ts';

const FACTS = ['medical_insurance', 'social_security', 'low_income', 'disability', 'elderly_alone', 'veteran'] as const;
type FactChoice = 'any' | 'yes' | 'no';

interface Values {
  title?: string;
  regionCode?: string;
  sex?: 'M' | 'F';
  ageMin?: number | null;
  ageMax?: number | null;
  residenceStatus?: ('registered' | 'resident' | 'floating')[];
  labels?: string[];
  facts?: Partial<Record<(typeof FACTS)[number], FactChoice>>;
  templateId?: string;
  text?: string;
  fields?: Record<string, string>;
  channels?: ('sms' | 'inapp')[];
}

function filterOf(v: Values): Filter {
  const facts = Object.fromEntries(Object.entries(v.facts ?? {}).flatMap(([k, c]) => (c === 'yes' ? [[k, true]] : c === 'no' ? [[k, false]] : [])));
  return {
    ...(v.regionCode ? { regionCode: v.regionCode } : {}),
    ...(v.sex ? { sex: v.sex } : {}),
    ...(typeof v.ageMin === 'number' ? { ageMin: v.ageMin } : {}),
    ...(typeof v.ageMax === 'number' ? { ageMax: v.ageMax } : {}),
    ...(v.residenceStatus?.length ? { residenceStatus: v.residenceStatus } : {}),
    ...(v.labels?.length ? { labels: v.labels } : {}),
    ...(Object.keys(facts).length ? { facts } : {}),
  };
}

const newKey = () => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

export function Composer() {
  const t = useNoticesT();
  const { message, modal } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Values | undefined;
  const templates = useFetch('notice-templates', (signal) => noticesApi.templates(signal));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [sending, setSending] = useState(false);
  const requestKey = useRef(newKey());
  // the target region starts at the top of the caller's jurisdiction (an empty one would be the whole prefecture)
  useEffect(() => {
    const controller = new AbortController();
    fetchRegionRoots(controller.signal)
      .then((roots) => {
        if (roots[0] && !form.getFieldValue('regionCode')) form.setFieldsValue({ regionCode: roots[0].code });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [form]);

  const variables = useMemo(() => templates.data?.variables ?? [], [templates.data]);
  const template = templates.data?.items.find((x) => x.id === values?.templateId);
  const body = template ? template.body : (values?.text ?? '');
  // the sender fields the text uses, by their Chinese names (the server accepts either)
  const senderFields = useMemo(() => {
    const used = new Set([...body.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!));
    return variables.filter((v) => v.kind === 'sender' && (used.has(v.zh) || used.has(v.name)));
  }, [body, variables]);

  const compose = (v: Values): Omit<ComposeBody, 'title' | 'channels'> => ({
    filter: filterOf(v),
    ...(v.templateId ? { templateId: v.templateId } : { text: v.text ?? '' }),
    fields: Object.fromEntries(senderFields.map((f) => [f.zh, v.fields?.[f.zh] ?? ''])),
  });

  const previewKey = JSON.stringify(values ? compose(values) : null);
  useEffect(() => {
    if (!values || (!values.templateId && !values.text?.trim())) {
      setPreview(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      noticesApi
        .preview({ ...compose(values), sample: 5 }, controller.signal)
        .then((p) => {
          setPreview(p);
          setPreviewError(null);
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) {
            setPreview(null);
            setPreviewError(err);
          }
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the preview follows the composed request only
  }, [previewKey]);

  const send = async () => {
    const v = await form.validateFields();
    const n = preview?.recipients ?? 0;
    modal.confirm({
      title: t('compose.confirm', { n }),
      okText: t('compose.send'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setSending(true);
        try {
          const draft = await noticesApi.create({ ...compose(v), title: v.title ?? '', channels: v.channels ?? ['sms'], requestKey: requestKey.current });
          const sent = await noticesApi.send(draft.id);
          requestKey.current = newKey();
          void message.success(t('compose.sent', { n: sent.recipientCount }));
          navigate(`/notices/${sent.id}`);
        } catch (err) {
          const field = isApiError(err) ? err.field : undefined;
          if (field === 'filter.regionCode') form.setFields([{ name: 'regionCode', errors: [err instanceof Error ? err.message : String(err)] }]);
          void message.error(err instanceof Error ? err.message : String(err));
        } finally {
          setSending(false);
        }
      },
    });
  };

  const varHelp = t('compose.textHelp', { vars: variables.map((v) => `{${v.zh}}`).join(' ') });
  const canSend = preview !== null && preview.recipients > 0 && !preview.tooLong;
  return (
    <Row gutter={[16, 16]} data-testid="notice-composer">
      <Col xs={24} lg={13}>
        <Form<Values> form={form} layout="vertical" initialValues={{ channels: ['sms', 'inapp'] }}>
          <Form.Item name="title" label={t('compose.title')} rules={[{ required: true, max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Form.Item name="regionCode" label={t('filter.region')}>
              <RegionTreeSelect width="100%" />
            </Form.Item>
            <Row gutter={8}>
              <Col xs={24} sm={8}>
                <Form.Item name="sex" label={t('filter.sex')}>
                  <Select allowClear options={(['M', 'F'] as const).map((s) => ({ value: s, label: t(`filter.sex.${s}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={8}>
                <Form.Item name="ageMin" label={`${t('filter.age')} ${t('filter.ageMin')}`}>
                  <InputNumber min={0} max={150} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={8}>
                <Form.Item name="ageMax" label={`${t('filter.age')} ${t('filter.ageMax')}`}>
                  <InputNumber min={0} max={150} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="residenceStatus" label={t('filter.residenceStatus')}>
              <Checkbox.Group options={(['registered', 'resident', 'floating'] as const).map((s) => ({ value: s, label: t(`residence.${s}`) }))} />
            </Form.Item>
            <Form.Item name="labels" label={t('filter.labels')} extra={t('filter.labelsHelp')}>
              <Select mode="tags" tokenSeparators={[',', ' ']} options={['elderly_alone', 'disabled', 'low_income', 'veteran', 'left_behind_child'].map((c) => ({ value: c }))} />
            </Form.Item>
            <Row gutter={8}>
              {FACTS.map((f) => (
                <Col xs={12} sm={8} key={f}>
                  <Form.Item name={['facts', f]} label={t(`fact.${f}`)}>
                    <Select<FactChoice> allowClear placeholder={t('fact.any')} options={(['yes', 'no'] as const).map((c) => ({ value: c, label: t(`fact.${c}`) }))} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </Card>
          <Form.Item name="templateId" label={t('compose.template')}>
            <Select allowClear placeholder={t('compose.adHoc')} loading={templates.loading} options={(templates.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
          </Form.Item>
          {template ? (
            <Alert type="info" message={template.body} style={{ marginBottom: 16 }} />
          ) : (
            <Form.Item name="text" label={t('compose.text')} extra={varHelp} rules={[{ required: true }]}>
              <Input.TextArea rows={4} maxLength={670} showCount />
            </Form.Item>
          )}
          {senderFields.length > 0 ? (
            <Row gutter={8}>
              {senderFields.map((f) => (
                <Col xs={24} sm={12} key={f.name}>
                  <Form.Item name={['fields', f.zh]} label={f.zh} rules={[{ required: true, max: 100 }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          ) : null}
          <Form.Item name="channels" label={t('compose.channels')} rules={[{ required: true }]}>
            <Checkbox.Group options={(['sms', 'inapp'] as const).map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
          </Form.Item>
          <Button type="primary" icon={<SendOutlined />} onClick={() => void send()} loading={sending} disabled={!canSend} data-testid="notice-send">
            {t('compose.send')}
          </Button>
        </Form>
      </Col>
      <Col xs={24} lg={11}>
        <Card title={t('compose.preview')} size="small" extra={loading ? <Spin size="small" /> : null} data-testid="notice-preview">
          {previewError ? <ErrorAlert error={previewError} /> : null}
          {preview ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              {preview.recipients === 0 ? <Alert type="warning" message={t('preview.none')} /> : null}
              {preview.tooLong ? <Alert type="error" message={t('preview.tooLong')} /> : null}
              <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
                <Descriptions.Item label={t('preview.recipients')}>{preview.recipients}</Descriptions.Item>
                <Descriptions.Item label={t('preview.sms')}>{preview.smsRecipients}</Descriptions.Item>
                <Descriptions.Item label={t('preview.withoutPhone')}>{preview.withoutPhone}</Descriptions.Item>
                <Descriptions.Item label={t('preview.optedOut')}>{preview.optedOut}</Descriptions.Item>
                <Descriptions.Item label={t('preview.withAccount')}>{preview.withAccount}</Descriptions.Item>
              </Descriptions>
              <Typography.Text type="secondary">{t('preview.length', { chars: preview.maxChars, segments: preview.maxSegments })}</Typography.Text>
              {preview.sample.length > 0 ? (
                <List
                  size="small"
                  header={t('preview.sample', { n: preview.sample.length })}
                  dataSource={preview.sample}
                  renderItem={(s) => (
                    <List.Item>
                      <Space direction="vertical" size={0}>
                        <Typography.Text strong>
                          {s.name} · <span className="mono">{s.phone ?? '—'}</span>
                        </Typography.Text>
                        <Typography.Text>{s.text}</Typography.Text>
                        <Typography.Text type="secondary">{t('template.segments', { chars: s.chars, segments: s.segments })}</Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              ) : null}
            </Space>
          ) : null}
        </Card>
      </Col>
    </Row>
  );
}
