// /gridwork/visits — 走访: the key residents due for a visit (never visited first, then the longest overdue) with a
// record form (kind, notes, location, photos from the phone's camera), and the visits recorded.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { FormOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { gridworkApi, newClientKey, type DueVisit, type NewVisit, type Visit } from './api.ts';
import { LocationButton, PhotoPicker, Photos, uploadPhotos, type Position } from './parts.tsx';

function VisitForm({ resident, onClose, onSaved }: { resident: DueVisit; onClose: () => void; onSaved: () => void }) {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [kind, setKind] = useState<NewVisit['kind']>('home');
  const [notes, setNotes] = useState('');
  const [position, setPosition] = useState<Position | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  // one key for this form: a retry after a lost answer finds the visit the first attempt made
  const [clientKey] = useState(newClientKey);
  const submit = async () => {
    setBusy(true);
    try {
      const visit = await gridworkApi.recordVisit({ residentId: resident.residentId, kind, notes, clientKey, ...(position ?? {}) });
      const failures = await uploadPhotos('gridwork.visit', visit.id, files, problem, t);
      for (const f of failures) void message.warning(f);
      void message.success(t('gridwork.visits.saved'));
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
      title={`${t('gridwork.visits.record')} · ${resident.name}`}
      onCancel={onClose}
      width={phone ? '100%' : 520}
      style={phone ? { top: 0, maxWidth: '100vw', paddingBottom: 0 } : undefined}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('gridwork.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="visit-submit">
          {t('gridwork.submit')}
        </Button>,
      ]}
    >
      <Form layout="vertical">
        <Form.Item label={t('gridwork.visits.kind')}>
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as NewVisit['kind'])} optionType="button" data-testid="visit-kind">
            {(['home', 'phone', 'other'] as const).map((k) => (
              <Radio.Button key={k} value={k}>
                {t(`gridwork.visits.kind.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item label={t('gridwork.visits.notes')}>
          <Input.TextArea rows={4} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="visit-notes" />
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

export default function VisitsPage() {
  const { t, tx } = useI18n();
  const [recording, setRecording] = useState<DueVisit | null>(null);
  const fetchDue: PageFetcher<DueVisit> = (cursor, signal, limit) => gridworkApi.due(cursor, limit, signal);
  const due = useCursorList<DueVisit>('due', fetchDue);
  const fetchVisits: PageFetcher<Visit> = (cursor, signal, limit) => gridworkApi.visits(cursor, limit, signal);
  const visits = useCursorList<Visit>('visits', fetchVisits);

  const dueColumns: ListColumn<DueVisit>[] = [
    { key: 'name', title: t('gridwork.name'), dataIndex: 'name', width: 100, required: true },
    {
      key: 'overdue',
      title: t('gridwork.visits.lastVisit'),
      width: 150,
      render: (r) =>
        r.lastVisitAt === null ? (
          <Tag color="red">{t('gridwork.visits.never')}</Tag>
        ) : (
          <Space direction="vertical" size={0}>
            <span>{formatDateTime(r.lastVisitAt)}</span>
            <Typography.Text type="danger">{t('gridwork.visits.overdue', { days: r.overdueDays ?? 0 })}</Typography.Text>
          </Space>
        ),
      exportValue: (r) => r.lastVisitAt ?? '',
    },
    { key: 'labels', title: t('gridwork.labels'), width: 170, render: (r) => r.labels.map((l) => <Tag key={l}>{tx(`gridwork.label.${l}`, l)}</Tag>), exportValue: (r) => r.labels.join(' ') },
    { key: 'interval', title: t('gridwork.visits.interval', { days: '' }).trim(), width: 90, render: (r) => t('gridwork.visits.interval', { days: r.intervalDays }), exportValue: (r) => r.intervalDays },
    { key: 'address', title: t('gridwork.address'), dataIndex: 'address', width: 180, ellipsis: true },
    { key: 'phone', title: t('gridwork.phone'), dataIndex: 'phone', width: 120, className: 'mono', defaultHidden: true },
    {
      key: 'actions',
      title: '',
      width: 110,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) => (
        <Button type="primary" size="small" icon={<FormOutlined />} onClick={() => setRecording(r)} data-testid={`visit-record-${r.residentId}`}>
          {t('gridwork.visits.record')}
        </Button>
      ),
    },
  ];
  const visitColumns: ListColumn<Visit>[] = [
    { key: 'resident', title: t('gridwork.visits.resident'), dataIndex: 'residentName', width: 100, required: true },
    { key: 'time', title: t('gridwork.visits.time'), width: 150, render: (r) => formatDateTime(r.visitedAt), exportValue: (r) => r.visitedAt },
    { key: 'kind', title: t('gridwork.visits.kind'), width: 80, render: (r) => t(`gridwork.visits.kind.${r.kind}`), exportValue: (r) => r.kind },
    { key: 'notes', title: t('gridwork.visits.notes'), dataIndex: 'notes', width: 220, ellipsis: true },
    { key: 'visitor', title: t('gridwork.visits.visitor'), width: 110, render: (r) => r.visitor?.name ?? '—', exportValue: (r) => r.visitor?.name ?? '' },
  ];
  return (
    <div className="page">
      <PageHeader title={t('gridwork.visits.title')} />
      <Typography.Title level={5}>{t('gridwork.visits.due')}</Typography.Title>
      <ListPage<DueVisit>
        id="gridwork-due"
        list={due}
        fetchPage={fetchDue}
        columns={dueColumns}
        rowKey="residentId"
        scrollX={950}
        rowTestId="due-row"
        phoneLead={{ key: 'name', width: 150, primary: (r) => r.name, secondary: (r) => (r.lastVisitAt ? t('gridwork.visits.overdue', { days: r.overdueDays ?? 0 }) : t('gridwork.visits.never')), folds: ['overdue'] }}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('gridwork.visits.recent')}
      </Typography.Title>
      <ListPage<Visit>
        id="gridwork-visit"
        list={visits}
        fetchPage={fetchVisits}
        columns={visitColumns}
        rowKey="id"
        scrollX={700}
        rowTestId="visit-row"
        expandable={{ expandedRowRender: (r) => <Photos ownerKind="gridwork.visit" ownerId={r.id} /> }}
      />
      {recording && (
        <VisitForm
          resident={recording}
          onClose={() => setRecording(null)}
          onSaved={() => {
            setRecording(null);
            due.reload();
            visits.reload();
          }}
        />
      )}
    </div>
  );
}
