// The extranet's editing cards (extranet.manage): nodes and links added, edited and deleted (with a confirmation),
// probes set and switched on or off. The forms are FormModals, so a problem+json naming a field lands on that field.
// After each change the page reloads the topology, coverage and single points of failure.
import { useMemo, useState, type ReactNode } from 'react';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, RadarChartOutlined } from '@ant-design/icons';
import { FormModal, requiredRule } from '../../components/FormModal.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useI18n } from '../../context.tsx';
import { describeError } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import {
  ADMIN_STATES,
  extranetApi,
  LINK_KINDS,
  NODE_KINDS,
  type AdminState,
  type ExtranetLink,
  type ExtranetNode,
  type LinkKind,
  type NodeKind,
  type Topology,
} from './api.ts';
import { bandwidthLabel } from './layout.ts';

const CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const STATE_TAG = { up: 'success', down: 'error', unknown: 'default' } as const;

/** Rows whose name or code contains the filter text (case-insensitive). */
function matches(text: string, ...values: string[]): boolean {
  const q = text.trim().toLowerCase();
  return q === '' || values.some((v) => v.toLowerCase().includes(q));
}

interface NodeForm {
  code: string;
  name: string;
  kind: NodeKind;
  regionCode: string;
  probeHost?: string;
  probePort?: number | null;
  probeEnabled?: boolean;
}

function NodeDialog({ node, onDone, onCancel }: { node: ExtranetNode | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <FormModal<NodeForm, ExtranetNode>
      testId="extranet-node-form"
      title={node ? t('extranet.manage.editNode', { name: node.name }) : t('extranet.manage.addNode')}
      initialValues={node ? { code: node.code, name: node.name, kind: node.kind, regionCode: node.regionCode } : { kind: 'access', probeEnabled: false }}
      successMessage={t('extranet.manage.saved')}
      onCancel={onCancel}
      onDone={onDone}
      onSubmit={async (v) => {
        const base = { name: v.name.trim(), kind: v.kind, regionCode: v.regionCode };
        if (node) return extranetApi.updateNode(node.id, base);
        const probeHost = v.probeHost?.trim() || null;
        return extranetApi.createNode({ ...base, code: v.code.trim(), probeHost, probePort: v.probePort ?? null, probeEnabled: v.probeEnabled ?? false });
      }}
    >
      <Form.Item name="code" label={t('extranet.field.code')} extra={node ? undefined : t('extranet.field.codeHelp')} rules={[requiredRule(t), { pattern: CODE, message: t('extranet.field.codeHelp') }]}>
        <Input disabled={node !== null} maxLength={40} className="mono" />
      </Form.Item>
      <Form.Item name="name" label={t('extranet.field.name')} rules={[requiredRule(t), { whitespace: true, message: t('validation.required') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="kind" label={t('extranet.field.kind')} rules={[requiredRule(t)]}>
        <Select options={NODE_KINDS.map((k) => ({ value: k, label: t(`extranet.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="regionCode" label={t('extranet.field.region')} rules={[requiredRule(t)]}>
        <RegionTreeSelect width="100%" placeholder={t('extranet.field.region')} />
      </Form.Item>
      {node ? null : <ProbeFields />}
    </FormModal>
  );
}

function ProbeFields() {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="probeHost" label={t('extranet.field.probeHost')} extra={t('extranet.field.probeHostHelp')}>
        <Input maxLength={253} placeholder="10.65.0.1" className="mono" />
      </Form.Item>
      <Form.Item name="probePort" label={t('extranet.field.probePort')}>
        <InputNumber min={1} max={65535} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="probeEnabled" label={t('extranet.field.probeEnabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </>
  );
}

function ProbeDialog({ node, onDone, onCancel }: { node: ExtranetNode; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <FormModal<{ probeHost?: string; probePort?: number | null; probeEnabled: boolean }, ExtranetNode>
      testId="extranet-probe-form"
      title={t('extranet.manage.probeOf', { name: node.name })}
      initialValues={{ probeHost: node.probeHost ?? '', probePort: node.probePort, probeEnabled: true }}
      successMessage={t('extranet.manage.saved')}
      onCancel={onCancel}
      onDone={onDone}
      onSubmit={(v) => extranetApi.setProbe(node.id, { probeHost: v.probeHost?.trim() || null, probePort: v.probePort ?? null, probeEnabled: v.probeEnabled })}
    >
      <ProbeFields />
    </FormModal>
  );
}

interface LinkForm {
  aId: string;
  bId: string;
  kind: LinkKind;
  ring?: string;
  bandwidthMbps: number;
  adminState: AdminState;
}

function LinkDialog({ link, nodes, linkName, onDone, onCancel }: { link: ExtranetLink | null; nodes: ExtranetNode[]; linkName: (l: ExtranetLink) => string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const options = useMemo(() => nodes.map((n) => ({ value: n.id, label: `${n.name}（${n.code}）` })), [nodes]);
  const nodeSelect = (
    <Select showSearch={{ optionFilterProp: 'label' }} options={options} disabled={link !== null} virtual popupMatchSelectWidth={false} placeholder={t('extranet.manage.filter')} />
  );
  return (
    <FormModal<LinkForm, ExtranetLink>
      testId="extranet-link-form"
      title={link ? t('extranet.manage.editLink', { name: linkName(link) }) : t('extranet.manage.addLink')}
      initialValues={link ? { aId: link.aId, bId: link.bId, kind: link.kind, ring: link.ring ?? '', bandwidthMbps: link.bandwidthMbps, adminState: link.adminState } : { kind: 'access', bandwidthMbps: 100, adminState: 'auto' }}
      successMessage={t('extranet.manage.saved')}
      onCancel={onCancel}
      onDone={onDone}
      onSubmit={(v) => {
        const body = { kind: v.kind, ring: v.ring?.trim() || null, bandwidthMbps: v.bandwidthMbps, adminState: v.adminState };
        return link ? extranetApi.updateLink(link.id, body) : extranetApi.createLink({ ...body, aId: v.aId, bId: v.bId });
      }}
    >
      <Form.Item name="aId" label={t('extranet.field.aId')} rules={[requiredRule(t)]}>
        {nodeSelect}
      </Form.Item>
      <Form.Item name="bId" label={t('extranet.field.bId')} rules={[requiredRule(t)]}>
        {nodeSelect}
      </Form.Item>
      <Form.Item name="kind" label={t('extranet.field.linkKind')} rules={[requiredRule(t)]}>
        <Select options={LINK_KINDS.map((k) => ({ value: k, label: t(`extranet.link.${k}`) }))} />
      </Form.Item>
      <Form.Item name="ring" label={t('extranet.field.ring')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="bandwidthMbps" label={t('extranet.field.bandwidth')} rules={[requiredRule(t)]}>
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="adminState" label={t('extranet.field.adminState')} rules={[requiredRule(t)]}>
        <Select options={ADMIN_STATES.map((s) => ({ value: s, label: t(`extranet.admin.${s}`) }))} />
      </Form.Item>
    </FormModal>
  );
}

/** A dialog's onDone: closes it, then reloads the page's data. */
const closeThenReload = (close: () => void, reload: () => void) => () => {
  close();
  reload();
};

/** Runs one change from a table row: a message either way, the page reloaded when it went through. */
function useRowAction(onChanged: () => void) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  return async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      void message.success(done);
      onChanged();
    } catch (err) {
      void message.error(describeError(t, err));
    }
  };
}

/** A row's edit and delete buttons (icons only on a phone), the delete behind a confirmation; `children` go between. */
function RowActions({ label, confirm, onEdit, onDelete, children }: { label: string; confirm: string; onEdit: () => void; onDelete: () => Promise<void>; children?: ReactNode }) {
  const { t } = useI18n();
  const phone = usePhoneLayout();
  return (
    <Space size={4} wrap>
      <Button size="small" icon={<EditOutlined />} aria-label={`${t('common.edit')} ${label}`} onClick={onEdit}>
        {phone ? null : t('common.edit')}
      </Button>
      {children}
      <Popconfirm title={confirm} okButtonProps={{ danger: true }} onConfirm={onDelete}>
        <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('extranet.manage.delete')} ${label}`}>
          {phone ? null : t('extranet.manage.delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** The shell of an editing card: an add button, a filter by name or code, a paged table, and its dialogs. */
function EditCard<T extends { id: string }>({
  title,
  testId,
  addText,
  addDisabled,
  onAdd,
  onFilter,
  columns,
  rows,
  children,
}: {
  title: string;
  testId: string;
  addText: string;
  addDisabled?: boolean;
  onAdd: () => void;
  onFilter: (text: string) => void;
  columns: TableColumnsType<T>;
  rows: T[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      extra={
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={onAdd} disabled={addDisabled}>
          {addText}
        </Button>
      }
    >
      <Input.Search allowClear placeholder={t('extranet.manage.filter')} aria-label={t('extranet.manage.filter')} onChange={(e) => onFilter(e.target.value)} style={{ marginBottom: 8, maxWidth: 320 }} />
      <Table<T> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={{ pageSize: 8, size: 'small', showSizeChanger: false }} scroll={{ x: 'max-content' }} />
      {children}
    </Card>
  );
}

export function NodesCard({ topology, onChanged }: { topology: Topology | null; onChanged: () => void }) {
  const { t } = useI18n();
  const phone = usePhoneLayout();
  const run = useRowAction(onChanged);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<ExtranetNode | null | undefined>(undefined);
  const [probing, setProbing] = useState<ExtranetNode | null>(null);
  const rows = useMemo(() => (topology?.nodes ?? []).filter((n) => matches(filter, n.name, n.code)), [topology, filter]);

  const toggleProbe = (n: ExtranetNode, on: boolean) => {
    // switching on a probe without an address asks for one first
    if (on && (n.probeHost === null || n.probePort === null)) {
      setProbing(n);
      return;
    }
    void run(() => extranetApi.setProbe(n.id, { probeHost: n.probeHost, probePort: n.probePort, probeEnabled: on }), t(on ? 'extranet.manage.probeOn' : 'extranet.manage.probeOff'));
  };

  const columns: TableColumnsType<ExtranetNode> = [
    {
      title: t('extranet.field.name'),
      key: 'name',
      render: (_, n) => (
        <Space direction="vertical" size={0}>
          <Typography.Text>{n.name}</Typography.Text>
          <Typography.Text type="secondary" className="mono" style={{ fontSize: 12 }}>
            {n.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('extranet.field.kind'), key: 'kind', render: (_, n) => t(`extranet.kind.${n.kind}`) },
    { title: t('extranet.field.region'), key: 'region', dataIndex: 'regionName', responsive: ['md'] },
    {
      title: t('extranet.field.probe'),
      key: 'probe',
      render: (_, n) => (
        <Space size={4}>
          <Switch size="small" checked={n.probeEnabled} aria-label={`${t('extranet.field.probeEnabled')} ${n.name}`} onChange={(on) => toggleProbe(n, on)} />
          {n.lastState ? <Tag color={STATE_TAG[n.lastState]}>{t(`extranet.legend.${n.lastState}`)}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, n) => (
        <RowActions label={n.name} confirm={t('extranet.manage.deleteNode', { name: n.name })} onEdit={() => setEditing(n)} onDelete={() => run(() => extranetApi.deleteNode(n.id), t('extranet.manage.deleted'))}>
          <Button size="small" icon={<RadarChartOutlined />} aria-label={`${t('extranet.manage.probeSettings')} ${n.name}`} onClick={() => setProbing(n)}>
            {phone ? null : t('extranet.manage.probeSettings')}
          </Button>
        </RowActions>
      ),
    },
  ];

  return (
    <EditCard<ExtranetNode>
      title={t('extranet.manage.nodes')}
      testId="extranet-nodes"
      addText={t('extranet.manage.addNode')}
      onAdd={() => setEditing(null)}
      onFilter={setFilter}
      columns={columns}
      rows={rows}
    >
      {editing !== undefined ? (
        <NodeDialog
          node={editing}
          onCancel={() => setEditing(undefined)}
          onDone={closeThenReload(() => setEditing(undefined), onChanged)}
        />
      ) : null}
      {probing ? (
        <ProbeDialog
          node={probing}
          onCancel={() => setProbing(null)}
          onDone={closeThenReload(() => setProbing(null), onChanged)}
        />
      ) : null}
    </EditCard>
  );
}

export function LinksCard({ topology, linkName, onChanged }: { topology: Topology | null; linkName: (l: ExtranetLink) => string; onChanged: () => void }) {
  const { t } = useI18n();
  const run = useRowAction(onChanged);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<ExtranetLink | null | undefined>(undefined);
  const codes = useMemo(() => new Map((topology?.nodes ?? []).map((n) => [n.id, n.code])), [topology]);
  const rows = useMemo(() => (topology?.links ?? []).filter((l) => matches(filter, linkName(l), codes.get(l.aId) ?? '', codes.get(l.bId) ?? '', l.ring ?? '')), [topology, filter, linkName, codes]);

  const columns: TableColumnsType<ExtranetLink> = [
    { title: t('extranet.bridge.link'), key: 'link', render: (_, l) => linkName(l) },
    { title: t('extranet.field.linkKind'), key: 'kind', render: (_, l) => `${t(`extranet.link.${l.kind}`)}${l.ring ? ` · ${l.ring}` : ''}` },
    { title: t('extranet.bandwidth'), key: 'bw', render: (_, l) => bandwidthLabel(l.bandwidthMbps) },
    {
      title: t('extranet.state'),
      key: 'state',
      render: (_, l) => (
        <Space size={4} wrap>
          <Tag color={STATE_TAG[l.state]}>{t(`extranet.legend.${l.state}`)}</Tag>
          {l.adminState === 'auto' ? null : <Tag>{t(`extranet.admin.${l.adminState}`)}</Tag>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, l) => (
        <RowActions label={linkName(l)} confirm={t('extranet.manage.deleteLink', { name: linkName(l) })} onEdit={() => setEditing(l)} onDelete={() => run(() => extranetApi.deleteLink(l.id), t('extranet.manage.deleted'))} />
      ),
    },
  ];

  return (
    <EditCard<ExtranetLink>
      title={t('extranet.manage.links')}
      testId="extranet-links"
      addText={t('extranet.manage.addLink')}
      addDisabled={(topology?.nodes.length ?? 0) < 2}
      onAdd={() => setEditing(null)}
      onFilter={setFilter}
      columns={columns}
      rows={rows}
    >
      {editing !== undefined ? (
        <LinkDialog
          link={editing}
          nodes={topology?.nodes ?? []}
          linkName={linkName}
          onCancel={() => setEditing(undefined)}
          onDone={closeThenReload(() => setEditing(undefined), onChanged)}
        />
      ) : null}
    </EditCard>
  );
}
