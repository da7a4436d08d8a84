// The form of a matter of any kind: the common fields and the kind's own (`data.*`, so a server problem naming
// `data/amountYuan` lands on its field); a project's milestones as a list. Dates are typed as YYYY-MM-DD.
import { useEffect, useState } from 'react';
import { Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { FormModal } from '../../components/FormModal.tsx';
import { mattersApi, type Article, type Kind, type Matter, type MatterDetail } from './api.ts';
import type { MattersMessageKey } from './messages.ts';
import { useMattersT } from './useMattersT.ts';

type FieldType = 'text' | 'date' | 'money' | 'integer' | 'month' | 'textarea' | { options: readonly string[]; prefix: MattersMessageKey } | 'article';
interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
}

const FIELDS: Record<Kind, FieldSpec[]> = {
  penalty: [
    { name: 'partyKind', type: { options: ['organization', 'person'], prefix: 'f.partyKind' }, required: true },
    { name: 'partyName', type: 'text', required: true },
    { name: 'partyIdNumber', type: 'text' },
    { name: 'articleCode', type: 'article', required: true },
    { name: 'amountYuan', type: 'money', required: true },
    { name: 'filedOn', type: 'date', required: true },
    { name: 'hearingNotifiedOn', type: 'date' },
    { name: 'decidedOn', type: 'date' },
    { name: 'facts', type: 'textarea' },
  ],
  enforcement: [
    { name: 'cause', type: 'text', required: true },
    { name: 'filedOn', type: 'date', required: true },
    { name: 'investigatedOn', type: 'date' },
    { name: 'decidedOn', type: 'date' },
    { name: 'closedOn', type: 'date' },
  ],
  trading: [
    { name: 'method', type: { options: ['open_tender', 'invited_tender', 'negotiation', 'auction'], prefix: 'f.method' }, required: true },
    { name: 'budgetYuan', type: 'money' },
    { name: 'noticeOn', type: 'date', required: true },
    { name: 'bidOpenOn', type: 'date' },
    { name: 'awardPublishedOn', type: 'date' },
    { name: 'publicityEndOn', type: 'date' },
    { name: 'winner', type: 'text' },
  ],
  village: [
    { name: 'frequency', type: { options: ['monthly', 'quarterly'], prefix: 'f.frequency' }, required: true },
    { name: 'dueDay', type: 'integer', required: true },
    { name: 'since', type: 'month', required: true },
  ],
  project: [
    { name: 'investmentYuan', type: 'money' },
    { name: 'owner', type: 'text' },
    { name: 'startOn', type: 'date', required: true },
  ],
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Drops empty optional values (the server wants them absent or null, not ''). */
function clean(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== '' && v !== undefined && v !== null));
}

export function MatterForm({ kind, matter, onDone, onCancel }: { kind: Kind; matter: Matter | null; onDone: (m: MatterDetail) => void; onCancel: () => void }) {
  const tm = useMattersT();
  const [articles, setArticles] = useState<Article[]>([]);
  useEffect(() => {
    if (kind !== 'penalty') return;
    const abort = new AbortController();
    mattersApi.articles(abort.signal).then((r) => setArticles(r.items), () => undefined);
    return () => abort.abort();
  }, [kind]);

  const input = (f: FieldSpec) => {
    const t = f.type;
    if (t === 'money') return <InputNumber min={0} step={100} style={{ width: '100%' }} data-testid={`matter-f-${f.name}`} />;
    if (t === 'integer') return <InputNumber min={1} max={28} style={{ width: '100%' }} data-testid={`matter-f-${f.name}`} />;
    if (t === 'textarea') return <Input.TextArea rows={2} maxLength={1000} data-testid={`matter-f-${f.name}`} />;
    if (t === 'date') return <Input type="date" data-testid={`matter-f-${f.name}`} />;
    if (t === 'month') return <Input placeholder="2026-09" data-testid={`matter-f-${f.name}`} />;
    if (t === 'article')
      return <Select showSearch optionFilterProp="label" data-testid={`matter-f-${f.name}`} options={articles.map((a) => ({ value: a.code, label: `${a.law}${a.article}（${a.minYuan}–${a.maxYuan}元）` }))} />;
    if (typeof t === 'object') return <Select data-testid={`matter-f-${f.name}`} options={t.options.map((o) => ({ value: o, label: tm(`${t.prefix}.${o}` as MattersMessageKey) }))} />;
    return <Input maxLength={100} data-testid={`matter-f-${f.name}`} />;
  };

  const initial = matter
    ? { title: matter.title, refNo: matter.refNo, regionCode: matter.regionCode, state: matter.state, data: matter.data }
    : { state: 'open', data: kind === 'project' ? { milestones: [] } : kind === 'village' ? { frequency: 'monthly', dueDay: 10 } : kind === 'penalty' ? { partyKind: 'organization' } : kind === 'trading' ? { method: 'open_tender' } : {} };

  return (
    <FormModal<Record<string, unknown>, MatterDetail>
      title={`${matter ? tm('edit') : tm('new')} · ${tm(`kind.${kind}`)}`}
      width={640}
      initialValues={initial as Record<string, unknown>}
      testId="matter-form"
      successMessage={tm('saved')}
      onCancel={onCancel}
      onDone={onDone}
      onSubmit={(values) => {
        const data = clean({ ...(values.data as Record<string, unknown>) });
        if (kind === 'project') data.milestones = ((values.data as { milestones?: Record<string, unknown>[] }).milestones ?? []).map((m) => clean(m));
        const body = clean({ title: values.title, refNo: values.refNo, regionCode: values.regionCode, state: values.state });
        return mattersApi.save(kind, matter?.id ?? null, { ...body, ...(matter ? { version: matter.version } : {}), data });
      }}
    >
      <Form.Item name="title" label={tm('f.title')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={200} data-testid="matter-f-title" />
      </Form.Item>
      <Space wrap style={{ display: 'flex' }}>
        <Form.Item name="refNo" label={tm('f.refNo')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} data-testid="matter-f-refNo" />
        </Form.Item>
        <Form.Item name="regionCode" label={tm('f.regionCode')} tooltip={tm('f.regionCode.hint')} rules={[{ pattern: /^\d{4,12}$/ }]}>
          <Input maxLength={12} data-testid="matter-f-regionCode" />
        </Form.Item>
        <Form.Item name="state" label={tm('f.state')}>
          <Select style={{ width: 110 }} options={(['open', 'closed', 'cancelled'] as const).map((s) => ({ value: s, label: tm(`state.${s}`) }))} />
        </Form.Item>
      </Space>
      {FIELDS[kind].map((f) => (
        <Form.Item key={f.name} name={['data', f.name]} label={tm(`f.${f.name}` as MattersMessageKey)} rules={[{ required: !!f.required }, ...(f.type === 'date' ? [{ pattern: DATE }] : [])]}>
          {input(f)}
        </Form.Item>
      ))}
      {kind === 'project' ? (
        <Form.List name={['data', 'milestones']}>
          {(fields, { add, remove }) => (
            <div data-testid="matter-milestones">
              <div className="ant-form-item-label">{tm('f.milestones')}</div>
              {fields.map((field) => (
                <Space key={field.key} wrap align="start">
                  <Form.Item name={[field.name, 'seq']} rules={[{ required: true }]}>
                    <InputNumber min={1} max={99} placeholder={tm('f.milestone.seq')} style={{ width: 70 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true }]}>
                    <Input placeholder={tm('f.milestone.name')} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'plannedOn']} rules={[{ required: true, pattern: DATE }]}>
                    <Input type="date" title={tm('f.milestone.plannedOn')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'completedOn']} rules={[{ pattern: DATE }]}>
                    <Input type="date" title={tm('f.milestone.completedOn')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} style={{ marginTop: 8 }} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ seq: fields.length + 1 })} data-testid="matter-add-milestone">
                {tm('f.addMilestone')}
              </Button>
            </div>
          )}
        </Form.List>
      ) : null}
    </FormModal>
  );
}
