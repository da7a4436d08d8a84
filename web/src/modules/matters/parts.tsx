// Pieces of the matters pages: warning tags, a matter's drawer (its fields, warnings, a village's publications).
import { useState } from 'react';
import { Button, Descriptions, Drawer, Empty, Form, Input, InputNumber, List, Space, Tag } from 'antd';
import { FormModal } from '../../components/FormModal.tsx';
import { useFetch } from '../../components/useFetch.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { usePhoneLayout } from '../../Layout.tsx';
import { mattersApi, type Matter, type MatterDetail, type Warning } from './api.ts';
import type { MattersMessageKey } from './messages.ts';
import { useMattersT } from './useMattersT.ts';

const LEVEL_COLOURS: Record<string, string> = { yellow: 'gold', red: 'red', irregular: 'purple', prompt: 'blue' };

export function LevelTag({ level }: { level: string }) {
  const tm = useMattersT();
  return <Tag color={LEVEL_COLOURS[level] ?? 'default'}>{tm(`level.${level}` as MattersMessageKey)}</Tag>;
}

/** The open warnings of a row as counted tags, or a dash. */
export function WarningCounts({ counts }: { counts: Matter['openWarnings'] }) {
  const levels = (['red', 'yellow', 'irregular'] as const).filter((l) => counts[l] > 0);
  if (levels.length === 0) return <span>—</span>;
  return (
    <Space size={2} wrap>
      {levels.map((l) => (
        <span key={l} data-testid={`matter-warn-${l}`}>
          <LevelTag level={l} />
          {counts[l]}
        </span>
      ))}
    </Space>
  );
}

export function WarningList({ items }: { items: readonly Warning[] }) {
  const tm = useMattersT();
  if (items.length === 0) return <Empty description={tm('noWarnings')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <List
      size="small"
      dataSource={[...items]}
      renderItem={(w) => (
        <List.Item data-testid="matter-warning">
          <Space direction="vertical" size={0}>
            <Space wrap>
              <LevelTag level={w.level} />
              <strong>{w.ruleName}</strong>
              <span style={{ color: '#888' }}>{w.firedOn}</span>
            </Space>
            <span style={{ color: '#555' }}>{w.summary}</span>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The fields of a matter's kind data, labelled (milestones as lines). */
function DataItems({ detail }: { detail: MatterDetail }) {
  const { tx } = useI18n();
  const entries = Object.entries(detail.data).filter(([k, v]) => k !== 'milestones' && v !== null && v !== undefined && v !== '');
  const milestones = (detail.data.milestones ?? []) as { seq: number; name: string; plannedOn: string; completedOn: string | null }[];
  return (
    <Descriptions column={1} size="small" bordered>
      {entries.map(([k, v]) => (
        <Descriptions.Item key={k} label={tx(`matters.f.${k}`, k)}>
          {typeof v === 'string' && tx(`matters.f.${k}.${v}`, '') !== '' ? tx(`matters.f.${k}.${v}`, v) : String(v)}
        </Descriptions.Item>
      ))}
      {milestones.map((m) => (
        <Descriptions.Item key={`m${m.seq}`} label={`${m.seq}. ${m.name}`}>
          {m.plannedOn} → {m.completedOn ?? '—'}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function MatterDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const tm = useMattersT();
  const phone = usePhoneLayout();
  const [publishing, setPublishing] = useState(false);
  const { data: detail, error, reload } = useFetch<MatterDetail | null>(`matter:${id}`, (signal) => (id ? mattersApi.detail(id, signal) : Promise.resolve(null)));
  return (
    <Drawer open={id !== null} onClose={onClose} width={phone ? '100%' : 600} title={detail ? `${detail.title}` : tm('detail')} destroyOnHidden>
      {error ? <ErrorAlert error={error} /> : null}
      {detail && (
        <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="matter-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={tm('col.refNo')}>{detail.refNo}</Descriptions.Item>
            <Descriptions.Item label={tm('col.department')}>{detail.departmentName}</Descriptions.Item>
            <Descriptions.Item label={tm('col.region')}>{detail.regionName}</Descriptions.Item>
            <Descriptions.Item label={tm('col.state')}>{tm(`state.${detail.state}`)}</Descriptions.Item>
          </Descriptions>
          <DataItems detail={detail} />
          <WarningList items={detail.warnings} />
          {detail.kind === 'village' ? (
            <div>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <strong>{tm('publications')}</strong>
                {detail.abilities.edit && detail.state === 'open' ? (
                  <Button size="small" onClick={() => setPublishing(true)} data-testid="matter-publish">
                    {tm('addPublication')}
                  </Button>
                ) : null}
              </Space>
              <List
                size="small"
                dataSource={detail.publications}
                renderItem={(p) => (
                  <List.Item data-testid="matter-publication">
                    {p.period} · {p.publishedOn} · {p.summary}
                  </List.Item>
                )}
              />
            </div>
          ) : null}
        </Space>
      )}
      {publishing && detail ? (
        <FormModal<Record<string, unknown>, MatterDetail>
          title={tm('addPublication')}
          testId="publication-form"
          successMessage={tm('saved')}
          onCancel={() => setPublishing(false)}
          onDone={() => {
            setPublishing(false);
            reload();
            onChanged();
          }}
          onSubmit={(v) => mattersApi.addPublication(detail.id, Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '' && x !== undefined && x !== null)))}
        >
          <Form.Item name="period" label={tm('f.period')} rules={[{ required: true }]}>
            <Input data-testid="publication-period" />
          </Form.Item>
          <Form.Item name="publishedOn" label={tm('f.publishedOn')} rules={[{ required: true }]}>
            <Input type="date" data-testid="publication-date" />
          </Form.Item>
          <Form.Item name="summary" label={tm('f.summary')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="publication-summary" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="incomeYuan" label={tm('f.incomeYuan')}>
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name="expenseYuan" label={tm('f.expenseYuan')}>
              <InputNumber min={0} />
            </Form.Item>
          </Space>
        </FormModal>
      ) : null}
    </Drawer>
  );
}
