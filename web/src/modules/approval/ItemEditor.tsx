// The item editor of 事项目录 (approval.items.manage): create an item, edit one (the server moves its version on;
// running cases keep their limits), with materials (file types, size limit), steps with per-step limits, fee lawful +
// amount + basis, statutory and promised limits. A refusal from the server is shown on the field it names
// (problem+json `field`, e.g. promisedDays or materials/1/maxBytes).
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Spin, Switch } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { ITEM_KINDS, STEPS } from '../../../../src/modules/approval/kinds.ts';
import { call, client, isApiError } from '../../api/client.ts';
import type { BodyOf, ResponseOf } from '../../api/types.ts';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { useI18n } from '../../context.tsx';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
export type ItemView = ResponseOf<'/api/approval/items/{id}', 'get'>;
type NewItem = BodyOf<'/api/approval/items', 'post'>;
type UpdateItem = BodyOf<'/api/approval/items/{id}', 'put'>;
type MimeType = NonNullable<NewItem['materials'][number]['mimeTypes']>[number];

export const itemApi = {
  get: (id: string, signal?: AbortSignal) => call(client.GET('/api/approval/items/{id}', { params: { path: { id } }, signal })),
  create: (body: NewItem) => call(client.POST('/api/approval/items', { body })),
  update: (id: string, body: UpdateItem) => call(client.PUT('/api/approval/items/{id}', { params: { path: { id } }, body })),
  retire: (id: string, version: number) => call(client.POST('/api/approval/items/{id}/retire', { params: { path: { id } }, body: { version } })),
};

const MIME_OPTIONS: { value: MimeType; label: string }[] = [
  { value: 'application/pdf', label: 'PDF' },
  { value: 'image/jpeg', label: 'JPG' },
  { value: 'image/png', label: 'PNG' },
  { value: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (docx)' },
  { value: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (xlsx)' },
];
const MB = 1024 * 1024;

interface Values {
  code: string;
  name: string;
  departmentId: string;
  kind: NewItem['kind'];
  legalBasis: string;
  statutoryDays: number;
  promisedDays: number;
  feeLawful: boolean;
  feeYuan: number | null;
  feeBasis: string;
  online: boolean;
  materials: { name: string; required: boolean; mimeTypes: MimeType[]; maxMb: number }[];
  steps: { step: (typeof STEPS)[number]; name?: string; limitDays: number | null }[];
}

const DEFAULTS: Partial<Values> = {
  kind: 'licence',
  statutoryDays: 20,
  promisedDays: 10,
  feeLawful: false,
  feeYuan: 0,
  feeBasis: '',
  online: true,
  materials: [{ name: '申请书', required: true, mimeTypes: ['application/pdf'], maxMb: 10 }],
  steps: [
    { step: 'accept', limitDays: 5 },
    { step: 'review', limitDays: null },
    { step: 'decide', limitDays: null },
    { step: 'conclude', limitDays: null },
    { step: 'deliver', limitDays: 10 },
  ],
};

function toValues(item: ItemView): Values {
  return {
    code: item.code,
    name: item.name,
    departmentId: item.department.id,
    kind: item.kind,
    legalBasis: item.legalBasis,
    statutoryDays: item.statutoryDays,
    promisedDays: item.promisedDays,
    feeLawful: item.feeLawful,
    feeYuan: Number(item.feeYuan),
    feeBasis: item.feeBasis,
    online: item.online,
    materials: item.materials.map((m) => ({ name: m.name, required: m.required, mimeTypes: m.mimeTypes as MimeType[], maxMb: Math.round((m.maxBytes / MB) * 100) / 100 })),
    steps: item.steps.map((s) => ({ step: s.step, name: s.name, limitDays: s.limitDays })),
  };
}

function body(v: Values) {
  return {
    name: v.name.trim(),
    kind: v.kind,
    legalBasis: v.legalBasis.trim(),
    statutoryDays: v.statutoryDays,
    promisedDays: v.promisedDays,
    feeLawful: v.feeLawful,
    feeYuan: v.feeYuan ?? 0,
    feeBasis: v.feeBasis?.trim() ?? '',
    online: v.online,
    materials: (v.materials ?? []).map((m) => ({ name: m.name.trim(), required: m.required, mimeTypes: m.mimeTypes, maxBytes: Math.round(m.maxMb * MB) })),
    steps: (v.steps ?? []).map((s) => ({ step: s.step, ...(s.name?.trim() ? { name: s.name.trim() } : {}), limitDays: s.limitDays ?? null })),
  };
}

/** The server's field ('promisedDays', 'materials/1/maxBytes', 'steps') as this form's name path. */
function fieldPath(field: string): (string | number)[] {
  return field.split('/').map((p) => (/^\d+$/.test(p) ? Number(p) : p === 'maxBytes' ? 'maxMb' : p));
}

/** `itemId` null: a new item; a string: edit that item. */
export function ItemEditor({ open, itemId, onClose, onSaved }: { open: boolean; itemId: string | null; onClose: () => void; onSaved: (item: ItemView) => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [item, setItem] = useState<ItemView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const feeLawful = Form.useWatch('feeLawful', form);

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    setLoadError(null);
    form.resetFields();
    if (itemId === null) {
      setItem(null);
      form.setFieldsValue(DEFAULTS);
      return;
    }
    const controller = new AbortController();
    setItem(null);
    itemApi.get(itemId, controller.signal).then(
      (view) => (setItem(view), form.setFieldsValue(toValues(view))),
      (err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      },
    );
    return () => controller.abort();
  }, [open, itemId, form]);

  const save = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    try {
      const saved = itemId === null ? await itemApi.create({ ...body(v), code: v.code.trim(), departmentId: v.departmentId }) : await itemApi.update(itemId, { ...body(v), version: item!.version });
      void message.success(t('approval.saved'));
      onSaved(saved);
    } catch (err) {
      const text = problem(err);
      if (isApiError(err) && err.field && err.field !== 'version') {
        const path = fieldPath(err.field);
        if (form.getFieldInstance(path as never) !== undefined || ['materials', 'steps'].includes(String(path[0]))) form.setFields([{ name: path as never, errors: [text] }]);
      }
      setFormError(text);
    } finally {
      setSaving(false);
    }
  };

  const editing = itemId !== null;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={Math.min(760, window.innerWidth)}
      title={t(editing ? 'approval.editor.edit' : 'approval.editor.new')}
      destroyOnHidden
      extra={
        <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="item-editor-save">
          {t('approval.editor.save')}
        </Button>
      }
    >
      {loadError ? (
        <Alert type="error" showIcon title={problem(loadError)} />
      ) : editing && item === null ? (
        <Spin />
      ) : (
        <Form<Values> form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="item-editor" scrollToFirstError>
          {item && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('approval.editor.version', { n: item.version })} />}
          {formError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={formError} data-testid="item-editor-error" />}
          <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
            <Form.Item name="code" label={t('approval.editor.code')} extra={t('approval.editor.codeHint')} rules={[{ required: !editing, pattern: /^[A-Za-z0-9_-]{2,40}$/, message: t('approval.editor.codeHint') }]} style={{ flex: '1 1 200px' }}>
              <Input maxLength={40} disabled={editing} />
            </Form.Item>
            <Form.Item name="kind" label={t('approval.kind')} rules={[{ required: true }]} style={{ flex: '1 1 160px' }}>
              <Select options={ITEM_KINDS.map((k) => ({ value: k, label: t(`approval.kind.${k}` as Key) }))} />
            </Form.Item>
          </div>
          <Form.Item name="name" label={t('approval.editor.name')} rules={[{ required: true, whitespace: true, min: 2, max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          {!editing && (
            <Form.Item name="departmentId" label={t('approval.department')} rules={[{ required: true }]}>
              <DepartmentSelect width="100%" />
            </Form.Item>
          )}
          <Form.Item name="legalBasis" label={t('approval.legalBasis')} rules={[{ required: true, whitespace: true, min: 2, max: 4000 }]}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Space wrap size={16}>
            <Form.Item name="statutoryDays" label={t('approval.editor.statutoryDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={365} precision={0} />
            </Form.Item>
            <Form.Item name="promisedDays" label={t('approval.editor.promisedDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={365} precision={0} data-testid="item-editor-promised" />
            </Form.Item>
            <Form.Item name="online" label={t('approval.editor.online')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Space wrap size={16} align="start">
            <Form.Item name="feeLawful" label={t('approval.editor.feeLawful')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="feeYuan" label={t('approval.editor.feeYuan')}>
              <InputNumber min={0} max={1_000_000} precision={2} />
            </Form.Item>
          </Space>
          {feeLawful && (
            <Form.Item name="feeBasis" label={t('approval.editor.feeBasis')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          )}

          <h4>{t('approval.editor.materials')}</h4>
          <Form.List name="materials">
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map(({ key, name }) => (
                  <Space key={key} wrap align="start" style={{ display: 'flex', marginBottom: 4 }} data-testid={`item-material-${name}`}>
                    <Form.Item name={[name, 'name']} label={t('approval.editor.materialName')} rules={[{ required: true, whitespace: true, max: 200 }]}>
                      <Input maxLength={200} style={{ width: 200 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'mimeTypes']} label={t('approval.editor.materialTypes')} rules={[{ required: true, type: 'array', min: 1 }]}>
                      <Select mode="multiple" options={MIME_OPTIONS} style={{ width: 220 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'maxMb']} label={t('approval.editor.maxMb')} rules={[{ required: true }]}>
                      <InputNumber min={0.01} max={20} step={1} style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'required']} label={t('approval.required')} valuePropName="checked">
                      <Checkbox />
                    </Form.Item>
                    <Form.Item label=" ">
                      <Button icon={<DeleteOutlined />} onClick={() => remove(name)} aria-label={t('approval.editor.remove')} />
                    </Form.Item>
                  </Space>
                ))}
                <Form.ErrorList errors={errors} />
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', required: true, mimeTypes: ['application/pdf'], maxMb: 10 })} data-testid="item-add-material">
                  {t('approval.editor.addMaterial')}
                </Button>
              </>
            )}
          </Form.List>

          <h4 style={{ marginTop: 16 }}>{t('approval.editor.steps')}</h4>
          <Form.List name="steps" rules={[{ validator: async (_, v: unknown[]) => (v && v.length > 0 ? undefined : Promise.reject(new Error(t('approval.editor.required')))) }]}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map(({ key, name }) => (
                  <Space key={key} wrap align="start" style={{ display: 'flex', marginBottom: 4 }} data-testid={`item-step-${name}`}>
                    <Form.Item name={[name, 'step']} label={t('approval.editor.step')} rules={[{ required: true }]}>
                      <Select options={STEPS.map((s) => ({ value: s, label: t(`approval.step.${s}` as Key) }))} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'name']} label={t('approval.editor.stepName')}>
                      <Input maxLength={100} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'limitDays']} label={t('approval.editor.limitDays')}>
                      <InputNumber min={0} max={365} precision={0} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item label=" ">
                      <Button icon={<DeleteOutlined />} onClick={() => remove(name)} aria-label={t('approval.editor.remove')} />
                    </Form.Item>
                  </Space>
                ))}
                <Form.ErrorList errors={errors} />
                {fields.length < 5 && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ step: 'review', limitDays: null })}>
                    {t('approval.editor.addStep')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
        </Form>
      )}
    </Drawer>
  );
}
