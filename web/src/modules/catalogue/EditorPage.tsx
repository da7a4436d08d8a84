// /catalogue/new and /catalogue/:code/edit — the resource editor for catalogue managers: metadata and the info items
// (code, name, type, key, required, sensitivity, share type, legal basis, mask). The server validates and names the
// field at fault; the form shows that message on the field.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { call, client } from '../../api/client.ts';
import { isAbortError, isApiError } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n, useMe } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { navigate, useParams } from '../../router.tsx';
import { CLASS_ITEMS, FORMATS, ITEM_MASKS, ITEM_TYPES, OPEN_ATTRS, RESOURCE_CLASSES, SHARE_MODES, SHARE_TYPES, THEMES, UPDATE_CYCLES } from '../../../../src/modules/catalogue/rules.ts';
import { catalogueApi, resourcePath, type NewResource } from './api.ts';
import './catalogue.css';

type FormValues = Omit<NewResource, 'relatedCodes'> & { relatedCodes?: string };

const EMPTY_ITEM = { code: '', name: '', type: 'string', isKey: false, required: false, sensitivity: 1, shareType: 'unconditional' } as const;

export default function EditorPage() {
  const { code } = useParams<'code'>();
  const { t, tx, problem } = useI18n();
  const me = useMe();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [version, setVersion] = useState<number | undefined>();
  const [departments, setDepartments] = useState<{ value: string; label: string }[]>(me.department ? [{ value: me.department.id, label: me.department.name }] : []);

  useEffect(() => {
    if (!code) {
      form.setFieldsValue({ class: 'theme', classCode: '2-01', format: 'database', updateCycle: 'monthly', openAttr: 'conditional', shareModes: ['api'], providerDepartmentId: me.department?.id, items: [{ ...EMPTY_ITEM, isKey: true, required: true }] });
      return;
    }
    const abort = new AbortController();
    catalogueApi
      .get(code, abort.signal)
      .then((r) => {
        setVersion(r.version);
        setDepartments((prev) => (prev.some((d) => d.value === r.provider.id) ? prev : [...prev, { value: r.provider.id, label: r.provider.name }]));
        form.setFieldsValue({ ...r, providerDepartmentId: r.provider.id, relatedCodes: r.relatedCodes.join(', '), items: r.items.map((i) => ({ ...i, legalBasis: i.legalBasis ?? undefined })) } as unknown as FormValues);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      });
    return () => abort.abort();
  }, [code, form, me.department]);

  const searchDepartments = async (q: string) => {
    if (!q.trim()) return;
    const page = await call(client.GET('/api/departments', { params: { query: { q: q.trim(), limit: 20 } } }));
    setDepartments(page.items.map((d) => ({ value: d.id, label: d.name })));
  };

  const save = async (values: FormValues) => {
    setSaving(true);
    const body: NewResource = {
      ...values,
      relatedCodes: (values.relatedCodes ?? '')
        .split(/[,，、\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      items: values.items.map((i) => ({ ...i, legalBasis: i.legalBasis || null, maxLength: i.type === 'string' ? (i.maxLength ?? null) : null })),
      code: values.code || undefined,
      regionItem: values.regionItem || null,
      personItem: values.personItem || null,
      upstreamUrl: values.upstreamUrl || null,
    };
    try {
      const saved = code ? await catalogueApi.update(code, { ...body, expectedVersion: version }) : await catalogueApi.create(body);
      void message.success(t('cat.saved'));
      navigate(resourcePath(saved.code));
    } catch (err) {
      if (isApiError(err) && err.field) {
        const path = err.field.split('/').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        form.setFields([{ name: path as never, errors: [problem(err)] }]);
      }
      void message.error(problem(err));
    } finally {
      setSaving(false);
    }
  };

  const cls = Form.useWatch('class', form);
  if (error) return <ErrorAlert error={error} />;
  const options = (values: readonly string[], prefix: string | null) => values.map((v) => ({ value: v, label: prefix ? tx(`${prefix}${v}`, v) : v }));
  const classCodes = cls === 'department' ? [] : Object.entries(CLASS_ITEMS[cls === 'base' ? 'base' : 'theme']).map(([k, v]) => ({ value: `${cls === 'base' ? 1 : 2}-${k}`, label: `${cls === 'base' ? 1 : 2}-${k} ${v}` }));

  return (
    <div className="page" data-testid="resource-editor">
      <PageHeader title={t(code ? 'cat.editor.edit' : 'cat.editor.new')} />
      <Form<FormValues> form={form} layout="vertical" onFinish={save} data-testid="resource-form">
        <Card size="small">
          <div className="cat-item-row">
            <Form.Item name="name" label={t('cat.name')} rules={[{ required: true }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="code" label={t('cat.code')} extra={code ? undefined : t('cat.editor.codeHint')}>
              <Input disabled={Boolean(code)} className="mono" />
            </Form.Item>
            <Form.Item name="providerDepartmentId" label={t('cat.provider')} rules={[{ required: true }]}>
              <Select showSearch filterOption={false} onSearch={(q) => void searchDepartments(q)} options={departments} />
            </Form.Item>
            <Form.Item name="class" label={t('cat.class')} rules={[{ required: true }]}>
              <Select options={options(RESOURCE_CLASSES, 'cat.class.')} />
            </Form.Item>
            <Form.Item name="classCode" label={t('cat.classCode')} rules={[{ required: true }]}>
              {classCodes.length ? <Select options={classCodes} /> : <Input placeholder="3-01" />}
            </Form.Item>
            <Form.Item name="theme" label={t('cat.theme')}>
              <Select allowClear options={options(THEMES, 'cat.theme.')} />
            </Form.Item>
            <Form.Item name="format" label={t('cat.format')} rules={[{ required: true }]}>
              <Select options={options(FORMATS, null)} />
            </Form.Item>
            <Form.Item name="updateCycle" label={t('cat.updateCycle')} rules={[{ required: true }]}>
              <Select options={options(UPDATE_CYCLES, 'cat.cycle.')} />
            </Form.Item>
            <Form.Item name="openAttr" label={t('cat.openAttr')} rules={[{ required: true }]}>
              <Select options={options(OPEN_ATTRS, 'cat.open.')} />
            </Form.Item>
            <Form.Item name="shareModes" label={t('cat.shareModes')} rules={[{ required: true }]}>
              <Checkbox.Group options={options(SHARE_MODES, 'cat.mode.')} />
            </Form.Item>
            <Form.Item name="regionItem" label={t('cat.regionItem')}>
              <Input className="mono" placeholder="region" />
            </Form.Item>
            <Form.Item name="personItem" label={t('cat.personItem')}>
              <Input className="mono" placeholder="id_number" />
            </Form.Item>
            <Form.Item name="relatedCodes" label={t('cat.related')}>
              <Input className="mono" />
            </Form.Item>
            <Form.Item name="upstreamUrl" label={t('cat.upstreamUrl')}>
              <Input placeholder="https://" />
            </Form.Item>
          </div>
          <Form.Item name="summary" label={t('cat.summary')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Card>
        <Card size="small" title={t('cat.items')} style={{ marginTop: 12 }}>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <div key={field.key} className="cat-item-row" data-testid="resource-item">
                    <Form.Item name={[field.name, 'code']} label={t('cat.item.code')} rules={[{ required: true }]}>
                      <Input className="mono" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'name']} label={t('cat.item.name')} rules={[{ required: true }]}>
                      <Input />
                    </Form.Item>
                    <Form.Item name={[field.name, 'type']} label={t('cat.item.type')}>
                      <Select options={options(ITEM_TYPES, null)} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'shareType']} label={t('cat.item.shareType')}>
                      <Select options={options(SHARE_TYPES, 'cat.share.')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'legalBasis']} label={t('cat.item.legalBasis')}>
                      <Input />
                    </Form.Item>
                    <Form.Item name={[field.name, 'sensitivity']} label={t('cat.item.sensitivity')}>
                      <InputNumber min={1} max={4} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'mask']} label={t('cat.item.mask')}>
                      <Select allowClear options={options(ITEM_MASKS, null)} />
                    </Form.Item>
                    <Space align="center">
                      <Form.Item name={[field.name, 'isKey']} valuePropName="checked" noStyle>
                        <Checkbox>{t('cat.item.key')}</Checkbox>
                      </Form.Item>
                      <Form.Item name={[field.name, 'required']} valuePropName="checked" noStyle>
                        <Checkbox>{t('cat.item.required')}</Checkbox>
                      </Form.Item>
                      <Button type="link" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                        {t('cat.item.remove')}
                      </Button>
                    </Space>
                  </div>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ ...EMPTY_ITEM })}>
                  {t('cat.item.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="resource-save">
            {t('cat.save')}
          </Button>
          <Button onClick={() => navigate(code ? resourcePath(code) : '/catalogue')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </div>
  );
}
