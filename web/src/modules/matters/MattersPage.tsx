// /matters — 监察事项: a tab per kind (list with its filters, the form, a matter's drawer) and the warnings of them all.
import { useState } from 'react';
import { Button, Checkbox, Space, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth } from '../../context.tsx';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { KINDS, mattersApi, type Kind, type Matter, type Warning } from './api.ts';
import { MatterForm } from './MatterForm.tsx';
import { LevelTag, MatterDrawer, WarningCounts } from './parts.tsx';
import { useMattersT } from './useMattersT.ts';

function KindList({ kind, canManage }: { kind: Kind; canManage: boolean }) {
  const tm = useMattersT();
  const phone = usePhoneLayout();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [warned, setWarned] = useState(false);
  const [editing, setEditing] = useState<Matter | 'new' | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const fetchPage: PageFetcher<Matter> = (cursor, signal, limit) => mattersApi.list({ kind, q: q || undefined, warned: warned || undefined, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Matter>(`${kind}|${q}|${warned}|${round}`, fetchPage, { choosePageSize: true });
  const columns: ListColumn<Matter>[] = [
    {
      key: 'title',
      title: tm('col.title'),
      width: 300,
      required: true,
      render: (r) => (
        <a onClick={() => setOpened(r.id)} data-testid={`matter-open-${r.refNo}`}>
          {r.title}
        </a>
      ),
      exportValue: (r) => r.title,
    },
    { key: 'refNo', title: tm('col.refNo'), dataIndex: 'refNo', width: 190 },
    { key: 'warnings', title: tm('col.warnings'), width: 170, render: (r) => <WarningCounts counts={r.openWarnings} />, exportValue: (r) => r.openWarnings.red + r.openWarnings.yellow + r.openWarnings.irregular },
    { key: 'department', title: tm('col.department'), dataIndex: 'departmentName', width: 200 },
    { key: 'region', title: tm('col.region'), dataIndex: 'regionName', width: 140 },
    { key: 'state', title: tm('col.state'), width: 80, render: (r) => tm(`state.${r.state}`), exportValue: (r) => r.state },
    { key: 'startedOn', title: tm('col.startedOn'), dataIndex: 'startedOn', width: 110, sort: (r) => r.startedOn },
    {
      key: 'actions',
      title: '',
      width: 80,
      required: true,
      exportValue: false,
      render: (r) =>
        r.abilities.edit ? (
          <Button size="small" type="link" onClick={() => setEditing(r)} data-testid={`matter-edit-${r.refNo}`}>
            {tm('edit')}
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      <ListPage<Matter>
        id={`matters-${kind}`}
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1200}
        phoneLead={{ key: 'title', width: 190, primary: (r) => r.title, secondary: (r) => `${r.refNo} ${r.departmentName}`, folds: ['refNo', 'department'] }}
        filters={
          <Space wrap>
            <ListSearch value={input} onChange={setInput} onSearch={setQ} placeholder={tm('search')} width={phone ? 180 : 240} testId={`matters-${kind}-search`} />
            <Checkbox checked={warned} onChange={(e) => setWarned(e.target.checked)} data-testid={`matters-${kind}-warned`}>
              {tm('warnedOnly')}
            </Checkbox>
          </Space>
        }
        toolbar={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid={`matters-${kind}-new`}>
              {tm('new')}
            </Button>
          ) : null
        }
      />
      {editing ? (
        <MatterForm
          kind={kind}
          matter={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onDone={(m) => {
            setEditing(null);
            setRound((n) => n + 1);
            setOpened(m.id);
          }}
        />
      ) : null}
      <MatterDrawer id={opened} onClose={() => setOpened(null)} onChanged={() => setRound((n) => n + 1)} />
    </>
  );
}

function WarningsList() {
  const tm = useMattersT();
  const fetchPage: PageFetcher<Warning> = (cursor, signal, limit) => mattersApi.warnings({ cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Warning>('warnings', fetchPage, { choosePageSize: true });
  const columns: ListColumn<Warning>[] = [
    { key: 'level', title: '', width: 70, render: (w) => <LevelTag level={w.level} />, exportValue: (w) => w.level, required: true },
    { key: 'rule', title: tm('col.rule'), dataIndex: 'ruleName', width: 220 },
    { key: 'summary', title: tm('col.summary'), dataIndex: 'summary', width: 460, ellipsis: true },
    { key: 'firedOn', title: tm('col.firedOn'), dataIndex: 'firedOn', width: 110, sort: (w) => w.firedOn },
  ];
  return (
    <ListPage<Warning>
      id="matters-warnings"
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="id"
      scrollX={900}
      rowTestId="matters-warning-row"
      phoneLead={{ key: 'rule', width: 220, primary: (w) => w.ruleName, secondary: (w) => w.summary, folds: ['summary'] }}
    />
  );
}

export default function MattersPage() {
  const tm = useMattersT();
  const { can } = useAuth();
  const canManage = can('matters.manage');
  const [tab, setTab] = useState<string>('penalty');
  return (
    <div className="page">
      <PageHeader title={tm('title')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          ...KINDS.map((k) => ({ key: k, label: <span data-testid={`matters-tab-${k}`}>{tm(`kind.${k}`)}</span>, children: <KindList kind={k} canManage={canManage} /> })),
          { key: 'warnings', label: <span data-testid="matters-tab-warnings">{tm('tab.warnings')}</span>, children: <WarningsList /> },
        ]}
      />
    </div>
  );
}
