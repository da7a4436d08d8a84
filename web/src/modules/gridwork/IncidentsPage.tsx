// /gridwork/incidents — 事件上报: the report form (category, description, place, location, photos from the camera)
// and the incidents of my community with their status; a returned one can be resubmitted.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Select } from 'antd';
import { PlusOutlined, RedoOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { searchParam, useLocation } from '../../router.tsx';
import { gridworkApi, newClientKey, type Incident, type NewIncident } from './api.ts';
import { Deadline, IncidentDrawer, IncidentStatusTag, LocationButton, PhotoPicker, uploadPhotos, type Position } from './parts.tsx';

export const CATEGORIES: NewIncident['category'][] = ['dispute', 'safety_hazard', 'sanitation', 'municipal', 'public_order', 'livelihood', 'other'];

function ReportForm({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [category, setCategory] = useState<NewIncident['category'] | undefined>();
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [position, setPosition] = useState<Position | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [clientKey] = useState(newClientKey);
  const submit = async () => {
    if (!category || !description.trim() || !address.trim()) return;
    setBusy(true);
    try {
      const incident = await gridworkApi.report({ category, description, address, clientKey, ...(position ?? {}) });
      for (const f of await uploadPhotos('gridwork.incident', incident.id, files, problem, t)) void message.warning(f);
      void message.success(t('gridwork.incidents.reported'));
      onSaved();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('gridwork.incidents.new')}
      onCancel={onClose}
      width={phone ? '100%' : 560}
      style={phone ? { top: 0, maxWidth: '100vw', paddingBottom: 0 } : undefined}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('gridwork.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} disabled={!category || !description.trim() || !address.trim()} onClick={() => void submit()} data-testid="incident-submit">
          {t('gridwork.submit')}
        </Button>,
      ]}
    >
      <Form layout="vertical">
        <Form.Item label={t('gridwork.incident.category')} required>
          <Select
            value={category}
            onChange={setCategory}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`gridwork.category.${c}`) }))}
            data-testid="incident-category"
          />
        </Form.Item>
        <Form.Item label={t('gridwork.incident.description')} required>
          <Input.TextArea rows={4} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="incident-description" />
        </Form.Item>
        <Form.Item label={t('gridwork.incident.address')} required>
          <Input maxLength={200} value={address} onChange={(e) => setAddress(e.target.value)} data-testid="incident-address" />
        </Form.Item>
        <Form.Item label={t('gridwork.location')}>
          <LocationButton value={position} onChange={setPosition} />
        </Form.Item>
        <Form.Item label={t('gridwork.photos')}>
          <PhotoPicker files={files} onChange={setFiles} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function incidentColumns(t: ReturnType<typeof useI18n>['t'], tx: ReturnType<typeof useI18n>['tx'], open: (id: string) => void): ListColumn<Incident>[] {
  return [
    {
      key: 'number',
      title: t('gridwork.incident.number'),
      width: 170,
      className: 'mono',
      required: true,
      render: (r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(r.id)}>
          {r.number}
        </Button>
      ),
      exportValue: (r) => r.number,
    },
    { key: 'category', title: t('gridwork.incident.category'), width: 100, render: (r) => tx(`gridwork.category.${r.category}`, r.category), exportValue: (r) => r.category },
    { key: 'status', title: t('gridwork.incident.status'), width: 130, render: (r) => <IncidentStatusTag row={r} />, exportValue: (r) => r.status },
    { key: 'description', title: t('gridwork.incident.description'), dataIndex: 'description', width: 240, ellipsis: true },
    { key: 'community', title: t('gridwork.incident.community'), width: 140, render: (r) => r.community.name, exportValue: (r) => r.community.name },
    { key: 'department', title: t('gridwork.incident.department'), width: 160, render: (r) => r.department?.name ?? '—', exportValue: (r) => r.department?.name ?? '' },
    { key: 'deadline', title: t('gridwork.incident.deadline'), width: 130, render: (r) => <Deadline row={r} />, exportValue: (r) => r.deadline ?? '' },
    { key: 'reportedAt', title: t('gridwork.incident.reportedAt'), width: 150, render: (r) => formatDateTime(r.reportedAt), exportValue: (r) => r.reportedAt, sort: (r) => r.reportedAt },
  ];
}

export default function IncidentsPage() {
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const [reporting, setReporting] = useState(false);
  const [opened, setOpened] = useState<string | null>(() => searchParam(location.search, 'incident'));
  const [busy, setBusy] = useState<string | null>(null);
  const fetchPage: PageFetcher<Incident> = (cursor, signal, limit) => gridworkApi.incidents({ view: 'all', cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<Incident>('incidents', fetchPage, { choosePageSize: true });
  const resubmit = async (row: Incident) => {
    setBusy(row.id);
    try {
      await gridworkApi.resubmit(row.id);
      void message.success(t('gridwork.action.done', { action: t('gridwork.action.resubmit') }));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };
  const columns: ListColumn<Incident>[] = [
    ...incidentColumns(t, tx, setOpened),
    {
      key: 'actions',
      title: '',
      width: 110,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) =>
        rowCan(r, 'resubmit') ? (
          <Button size="small" icon={<RedoOutlined />} loading={busy === r.id} onClick={() => void resubmit(r)}>
            {t('gridwork.action.resubmit')}
          </Button>
        ) : null,
    },
  ];
  return (
    <div className="page">
      <PageHeader
        title={t('gridwork.incidents.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="incident-new">
            {t('gridwork.incidents.new')}
          </Button>
        }
      />
      <ListPage<Incident>
        id="gridwork-incident"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1350}
        rowTestId="incident-row"
        phoneLead={{ key: 'number', width: 170, primary: (r) => tx(`gridwork.category.${r.category}`, r.category), secondary: (r) => r.number, folds: ['category'] }}
      />
      {reporting && (
        <ReportForm
          onClose={() => setReporting(false)}
          onSaved={() => {
            setReporting(false);
            list.reload();
          }}
        />
      )}
      <IncidentDrawer id={opened} onClose={() => setOpened(null)} />
    </div>
  );
}
