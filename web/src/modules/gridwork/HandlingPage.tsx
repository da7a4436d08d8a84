// /gridwork/handling — 事件处置: the street's incidents to dispatch (responsible department, working-day deadline)
// and the department's incidents to conclude (办结) or return, soonest deadline first. Actions follow each row's
// abilities (decided on the server).
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Form, Input, InputNumber, Modal, Segmented, Select, Space } from 'antd';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { searchParam, useLocation } from '../../router.tsx';
import { gridworkApi, type Incident, type IncidentQuery } from './api.ts';
import { IncidentDrawer } from './parts.tsx';
import { incidentColumns } from './IncidentsPage.tsx';

type Action = 'dispatch' | 'conclude' | 'return';
type View = NonNullable<IncidentQuery['view']>;

function ActionForm({ row, action, onClose, onDone }: { row: Incident; action: Action; onClose: () => void; onDone: () => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [departments, setDepartments] = useState<{ value: string; label: string }[]>([]);
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [days, setDays] = useState(5);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (action !== 'dispatch') return;
    const ac = new AbortController();
    gridworkApi
      .departments(row.id, ac.signal)
      .then((r) => setDepartments(r.items.map((d) => ({ value: d.id, label: `${d.name}（${d.regionName}）` }))))
      .catch(() => undefined);
    return () => ac.abort();
  }, [action, row.id]);
  const ready = action === 'dispatch' ? Boolean(departmentId) : note.trim() !== '';
  const submit = async () => {
    setBusy(true);
    try {
      if (action === 'dispatch') await gridworkApi.dispatch(row.id, { departmentId: departmentId!, workingDays: days, ...(note.trim() ? { note } : {}) });
      else if (action === 'conclude') await gridworkApi.conclude(row.id, note);
      else await gridworkApi.giveBack(row.id, note);
      void message.success(t('gridwork.action.done', { action: t(`gridwork.action.${action}`) }));
      onDone();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${t(`gridwork.action.${action}`)} · ${row.number}`}
      onCancel={onClose}
      width={phone ? '100%' : 520}
      okText={t(`gridwork.action.${action}`)}
      cancelText={t('gridwork.cancel')}
      okButtonProps={{ disabled: !ready, loading: busy, ...({ 'data-testid': 'action-submit' } as object) }}
      onOk={() => void submit()}
    >
      <Form layout="vertical">
        {action === 'dispatch' && (
          <>
            <Form.Item label={t('gridwork.dispatch.department')} required>
              <Select showSearch optionFilterProp="label" value={departmentId} onChange={setDepartmentId} options={departments} data-testid="dispatch-department" />
            </Form.Item>
            <Form.Item label={t('gridwork.dispatch.days')}>
              <InputNumber min={1} max={30} value={days} onChange={(v) => setDays(v ?? 5)} />
            </Form.Item>
          </>
        )}
        <Form.Item label={action === 'conclude' ? t('gridwork.incident.conclusion') : action === 'return' ? t('gridwork.incident.returnReason') : t('gridwork.note')} required={action !== 'dispatch'}>
          <Input.TextArea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="action-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function HandlingPage() {
  const { t, tx } = useI18n();
  const location = useLocation();
  const [view, setView] = useState<View>('dispatch');
  const [opened, setOpened] = useState<string | null>(() => searchParam(location.search, 'incident'));
  const [acting, setActing] = useState<{ row: Incident; action: Action } | null>(null);
  const fetchPage: PageFetcher<Incident> = (cursor, signal, limit) => gridworkApi.incidents({ view, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Incident>(`handling:${view}`, fetchPage, { choosePageSize: true });
  const columns: ListColumn<Incident>[] = [
    ...incidentColumns(t, tx, setOpened),
    {
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) => (
        <Space size={4} wrap>
          {(['dispatch', 'conclude', 'return'] as const)
            .filter((a) => rowCan(r, a))
            .map((a) => (
              <Button key={a} size="small" type={a === 'return' ? 'default' : 'primary'} onClick={() => setActing({ row: r, action: a })} data-testid={`incident-${a}-${r.id}`}>
                {t(`gridwork.action.${a}`)}
              </Button>
            ))}
        </Space>
      ),
    },
  ];
  return (
    <div className="page">
      <PageHeader title={t('gridwork.handling.title')} />
      <ListPage<Incident>
        id="gridwork-handling"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1400}
        rowTestId="handling-row"
        phoneLead={{ key: 'number', width: 170, primary: (r) => tx(`gridwork.category.${r.category}`, r.category), secondary: (r) => r.number, folds: ['category'] }}
        filters={
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: 'dispatch', label: t('gridwork.handling.dispatch') },
              { value: 'handle', label: t('gridwork.handling.handle') },
              { value: 'all', label: t('gridwork.handling.all') },
            ]}
          />
        }
      />
      {acting && (
        <ActionForm
          row={acting.row}
          action={acting.action}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            list.reload();
          }}
        />
      )}
      <IncidentDrawer id={opened} onClose={() => setOpened(null)} />
    </div>
  );
}
