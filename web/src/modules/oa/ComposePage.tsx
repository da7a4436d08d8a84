// /oa/sent/new — 起草: a document's fields and its recipients (departments with or without sub-departments, regions,
// roles within my sending scope). Saves a draft (?edit=<id> edits one, ?supersedes=<id> drafts a correction); the
// document's page then takes attachments and sends it.
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Col, DatePicker, Form, Input, Row, Select, TreeSelect } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ROLES } from '../../api/index.ts';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { oaApi, type NewDocument, type OaDocument, type RecipientOptions } from './api.ts';

interface Values {
  kind: NewDocument['kind'];
  title: string;
  number?: string;
  urgency: NonNullable<NewDocument['urgency']>;
  marking: NonNullable<NewDocument['marking']>;
  body?: string;
  signDeadline?: Dayjs | null;
  departments: string[];
  withSub: boolean;
  regions: string[];
  roles: NonNullable<NonNullable<NewDocument['recipients']>['roles']>;
}

type TreeNode = { title: string; value: string; children: TreeNode[] };

function departmentTree(options: RecipientOptions['departments']): TreeNode[] {
  const nodes = new Map(options.map((d) => [d.id, { title: d.name, value: d.id, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const d of options) {
    const parent = d.parentId ? nodes.get(d.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(d.id)!);
  }
  return roots;
}

export default function ComposePage() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [options, setOptions] = useState<RecipientOptions | null>(null);
  const [saving, setSaving] = useState(false);
  const params = new URLSearchParams(window.location.search);
  const editId = params.get('edit');
  const supersedesId = params.get('supersedes');

  useEffect(() => {
    const ac = new AbortController();
    oaApi.options(ac.signal).then(setOptions, () => undefined);
    const source = editId ?? supersedesId;
    if (source) {
      oaApi.get(source, ac.signal).then((doc: OaDocument) => {
        form.setFieldsValue({
          kind: doc.kind,
          title: doc.title,
          number: editId ? (doc.number ?? undefined) : undefined,
          urgency: doc.urgency,
          marking: doc.marking,
          body: doc.body,
          signDeadline: doc.signDeadline ? dayjs(doc.signDeadline) : null,
          departments: doc.recipients.departments.map((d) => d.id),
          withSub: doc.recipients.departments.some((d) => d.withSubDepartments),
          regions: doc.recipients.regions.map((r) => r.code),
          roles: doc.recipients.roles as Values['roles'],
        });
      }, () => undefined);
    }
    return () => ac.abort();
  }, [editId, supersedesId, form]);

  const tree = useMemo(() => departmentTree(options?.departments ?? []), [options]);
  const regions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of options?.departments ?? []) seen.set(d.regionCode, d.regionName);
    return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([value, name]) => ({ value, label: `${name}（${value}）` }));
  }, [options]);

  const save = async (v: Values) => {
    setSaving(true);
    const body = {
      kind: v.kind,
      title: v.title,
      number: v.number?.trim() ? v.number.trim() : null,
      urgency: v.urgency,
      marking: v.marking,
      body: v.body ?? '',
      signDeadline: v.signDeadline ? v.signDeadline.toISOString() : null,
      recipients: { departments: (v.departments ?? []).map((id) => ({ id, withSubDepartments: v.withSub })), regions: v.regions ?? [], roles: v.roles ?? [] },
    };
    try {
      const doc = editId ? await oaApi.update(editId, body) : await oaApi.create({ ...body, ...(supersedesId ? { supersedesId } : {}) });
      void message.success(t('oa.saved'));
      navigate(`/oa/sent/${doc.id}`);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title={t('oa.compose.title')} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ kind: 'official', urgency: 'normal', marking: 'internal', departments: [], withSub: false, regions: [], roles: [] }}
        data-testid="oa-compose-form"
      >
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Card size="small">
              <Row gutter={12}>
                <Col xs={24} sm={8}>
                  <Form.Item name="kind" label={t('oa.kind')}>
                    <Select options={(['official', 'notice'] as const).map((k) => ({ value: k, label: tx(`oa.kind.${k}`, k) }))} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="urgency" label={t('oa.urgency')}>
                    <Select options={(['normal', 'urgent', 'very_urgent'] as const).map((k) => ({ value: k, label: tx(`oa.urgency.${k}`, k) }))} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="marking" label={t('oa.marking')}>
                    <Select options={(['public', 'internal'] as const).map((k) => ({ value: k, label: tx(`oa.marking.${k}`, k) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="title" label={t('oa.title')} rules={[{ required: true, max: 200 }]}>
                <Input data-testid="oa-title" />
              </Form.Item>
              <Form.Item name="number" label={t('oa.number')} extra={t('oa.numberHint')}>
                <Input maxLength={60} data-testid="oa-number" />
              </Form.Item>
              <Form.Item name="body" label={t('oa.body')} extra={t('oa.bodyHint')}>
                <Input.TextArea autoSize={{ minRows: 8, maxRows: 24 }} data-testid="oa-body" />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card size="small" title={t('oa.recipients')}>
              <Form.Item name="departments" label={t('oa.recipients.departments')}>
                <TreeSelect treeData={tree} multiple treeCheckable={false} showSearch treeNodeFilterProp="title" allowClear style={{ width: '100%' }} data-testid="oa-departments" />
              </Form.Item>
              <Form.Item name="withSub" valuePropName="checked">
                <Checkbox>{t('oa.recipients.withSub')}</Checkbox>
              </Form.Item>
              <Form.Item name="regions" label={t('oa.recipients.regions')}>
                <Select mode="multiple" options={regions} showSearch optionFilterProp="label" allowClear data-testid="oa-regions" />
              </Form.Item>
              <Form.Item name="roles" label={t('oa.recipients.roles')}>
                <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: tx(`role.${r}`, r) }))} allowClear data-testid="oa-roles" />
              </Form.Item>
              <Form.Item name="signDeadline" label={t('oa.deadline')}>
                <DatePicker showTime style={{ width: '100%' }} />
              </Form.Item>
            </Card>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving} style={{ marginTop: 16 }} block data-testid="oa-save">
              {t('oa.saveDraft')}
            </Button>
          </Col>
        </Row>
      </Form>
    </div>
  );
}
