// /datasets — 数据归集: pick one of the department's resources, upload a file with progress, see the load history and
// each load's rejection report (paged, downloadable as CSV or Excel).
import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Drawer, Empty, Progress, Segmented, Select, Space, Switch, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { datasetsApi, type DatasetResource, type Load, type Rejection, type UploadOptions } from './api.ts';

const STATUS_COLOR: Record<Load['status'], string> = { receiving: 'processing', validating: 'processing', committing: 'processing', committed: 'success', rejected: 'warning', failed: 'error' };

export default function DatasetsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [resources, setResources] = useState<DatasetResource[] | null>(null);
  const [resourceId, setResourceId] = useState<string | null>(null);
  const [options, setOptions] = useState<UploadOptions>({ mode: 'upsert', allOrNothing: false, encoding: 'auto' });
  const [sending, setSending] = useState<number | null>(null);
  const [serverRows, setServerRows] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<{ type: 'success' | 'warning' | 'error'; text: string } | null>(null);
  const [report, setReport] = useState<Load | null>(null);
  const poll = useRef<number | null>(null);

  const loadResources = () => {
    datasetsApi
      .resources()
      .then(({ items }) => {
        setResources(items);
        setResourceId((current) => current ?? items[0]?.id ?? null);
      })
      .catch((err: unknown) => void message.error(problem(err)));
  };
  useEffect(loadResources, []); // eslint-disable-line react-hooks/exhaustive-deps

  const fetchPage: PageFetcher<Load> = (cursor, signal, limit) => (resourceId ? datasetsApi.loads(resourceId, cursor, limit, signal) : Promise.resolve({ items: [], nextCursor: null }));
  const list = useCursorList<Load>(`datasets|${resourceId ?? ''}`, fetchPage);

  const stopPolling = () => {
    if (poll.current !== null) window.clearInterval(poll.current);
    poll.current = null;
  };
  useEffect(() => stopPolling, []);

  const upload = async (file: File) => {
    if (!resourceId) return;
    setOutcome(null);
    setSending(0);
    setServerRows(null);
    // the server's own progress (rows read so far) while it validates what has arrived
    poll.current = window.setInterval(() => {
      void datasetsApi
        .loads(resourceId, null, 1)
        .then(({ items }) => {
          const latest = items[0];
          if (latest && latest.status !== 'committed' && latest.status !== 'failed' && latest.status !== 'rejected') setServerRows(latest.totalRows);
        })
        .catch(() => undefined);
    }, 1000);
    try {
      const load = await datasetsApi.upload(resourceId, file, options, (sent) => setSending(Math.round(sent * 100)));
      setOutcome(
        load.status === 'committed'
          ? { type: load.rejectedRows > 0 ? 'warning' : 'success', text: t('datasets.done', { version: load.version ?? '—', accepted: load.acceptedRows, rejected: load.rejectedRows }) }
          : { type: 'warning', text: t('datasets.rejectedAll', { rejected: load.rejectedRows }) },
      );
      if (load.rejectedRows > 0) setReport(load);
    } catch (err) {
      setOutcome({ type: 'error', text: problem(err) });
    } finally {
      stopPolling();
      setSending(null);
      setServerRows(null);
      list.reload();
      loadResources();
    }
  };

  const status = (l: Load) => <Tag color={STATUS_COLOR[l.status]}>{t(`datasets.status.${l.status}`)}</Tag>;
  const columns: ListColumn<Load>[] = [
    { key: 'version', title: t('datasets.version'), dataIndex: 'version', width: 70, render: (l) => (l.version === null ? '—' : `v${l.version}`), sort: (l) => l.version },
    { key: 'file', title: t('datasets.file'), dataIndex: 'fileName', width: 200, ellipsis: true, render: (l) => l.fileName ?? t('datasets.api') },
    { key: 'status', title: t('datasets.status'), dataIndex: 'status', width: 90, render: status, exportValue: (l) => t(`datasets.status.${l.status}`) },
    { key: 'total', title: t('datasets.total'), dataIndex: 'totalRows', width: 90, sort: (l) => l.totalRows },
    { key: 'accepted', title: t('datasets.accepted'), dataIndex: 'acceptedRows', width: 80 },
    { key: 'rejected', title: t('datasets.rejected'), dataIndex: 'rejectedRows', width: 80 },
    { key: 'inserted', title: t('datasets.inserted'), dataIndex: 'insertedRows', width: 80, defaultHidden: phone },
    { key: 'updated', title: t('datasets.updated'), dataIndex: 'updatedRows', width: 80, defaultHidden: phone },
    { key: 'createdAt', title: t('datasets.createdAt'), dataIndex: 'createdAt', width: 160, render: (l) => formatDateTime(l.createdAt), sort: (l) => l.createdAt },
    { key: 'error', title: t('datasets.error'), dataIndex: 'error', width: 220, ellipsis: true, defaultHidden: true, render: (l) => l.error ?? '—' },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (l) =>
        l.rejectedRows > 0 || (l.stats?.unknownColumns.length ?? 0) > 0 ? (
          <Button type="link" size="small" onClick={() => setReport(l)} data-testid="datasets-report">
            {t('datasets.report')}
          </Button>
        ) : null,
    },
  ];

  const current = resources?.find((r) => r.id === resourceId);
  return (
    <div className="page">
      <PageHeader title={t('datasets.title')} />
      <Card size="small" style={{ marginBottom: 12 }}>
        {resources !== null && resources.length === 0 ? (
          <Empty description={t('datasets.noResources')} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} size={12}>
            <Select
              data-testid="datasets-resource"
              style={{ width: '100%', maxWidth: 560 }}
              placeholder={t('datasets.pickResource')}
              loading={resources === null}
              value={resourceId ?? undefined}
              onChange={(id: string) => setResourceId(id)}
              showSearch
              optionFilterProp="label"
              options={(resources ?? []).map((r) => ({ value: r.id, label: `${r.name}（${r.code}）` }))}
            />
            {current ? (
              <Typography.Text type="secondary">
                {t('datasets.rows', { n: current.rows })} · {t('datasets.version')} {current.lastVersion === null ? '—' : `v${current.lastVersion}`}
              </Typography.Text>
            ) : null}
            <Space wrap size={[12, 8]}>
              <span>
                {t('datasets.mode')}{' '}
                <Segmented
                  size="small"
                  value={options.mode}
                  onChange={(mode) => setOptions({ ...options, mode: mode as UploadOptions['mode'] })}
                  options={[
                    { value: 'upsert', label: t('datasets.mode.upsert') },
                    { value: 'replace', label: t('datasets.mode.replace') },
                  ]}
                />
              </span>
              <span>
                {t('datasets.encoding')}{' '}
                <Select
                  size="small"
                  style={{ width: 120 }}
                  value={options.encoding}
                  onChange={(encoding: UploadOptions['encoding']) => setOptions({ ...options, encoding })}
                  options={[
                    { value: 'auto', label: t('datasets.encoding.auto') },
                    { value: 'utf-8', label: 'UTF-8' },
                    { value: 'gb18030', label: 'GBK / GB18030' },
                  ]}
                />
              </span>
              <span>
                <Switch size="small" checked={options.allOrNothing} onChange={(allOrNothing) => setOptions({ ...options, allOrNothing })} /> {t('datasets.allOrNothing')}
              </span>
            </Space>
            <Upload.Dragger
              data-testid="datasets-upload"
              accept=".csv,.txt,.xlsx,.json,.ndjson,.jsonl"
              multiple={false}
              showUploadList={false}
              disabled={!resourceId || sending !== null}
              beforeUpload={(file) => {
                void upload(file);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('datasets.upload')}</p>
              <p className="ant-upload-hint">{t('datasets.uploadHint')}</p>
            </Upload.Dragger>
            {sending !== null ? (
              <div data-testid="datasets-progress">
                <Progress percent={sending} size="small" status="active" />
                <Typography.Text type="secondary">{serverRows === null ? t('datasets.sending', { pct: sending }) : t('datasets.processing', { rows: serverRows })}</Typography.Text>
              </div>
            ) : null}
            {outcome ? <Alert data-testid="datasets-outcome" type={outcome.type} showIcon message={outcome.text} /> : null}
          </Space>
        )}
      </Card>
      <Typography.Title level={5}>{t('datasets.history')}</Typography.Title>
      <ListPage<Load>
        id="datasets-loads"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        rowTestId="datasets-load"
        scrollX={1100}
        phoneLead={{ key: 'version', width: 150, primary: (l) => (l.version === null ? (l.fileName ?? t('datasets.api')) : `v${l.version} · ${l.fileName ?? t('datasets.api')}`), secondary: status, folds: ['file', 'status'] }}
      />
      <RejectionDrawer load={report} onClose={() => setReport(null)} />
    </div>
  );
}

type RejectionRow = Rejection & { id: string };

function RejectionDrawer({ load, onClose }: { load: Load | null; onClose: () => void }) {
  const { t } = useI18n();
  const phone = usePhoneLayout();
  const fetchPage: PageFetcher<RejectionRow> = async (cursor, signal, limit) => {
    if (!load) return { items: [], nextCursor: null };
    const page = await datasetsApi.rejections(load.id, cursor, limit, signal);
    return { ...page, items: page.items.map((r) => ({ ...r, id: `${r.rowNo}:${r.item}` })) };
  };
  const list = useCursorList<RejectionRow>(`datasets-rejections|${load?.id ?? ''}`, fetchPage);
  const columns: ListColumn<RejectionRow>[] = [
    { key: 'rowNo', title: t('datasets.rowNo'), dataIndex: 'rowNo', width: 70, render: (r) => (r.rowNo === 0 ? t('datasets.header') : r.rowNo) },
    { key: 'item', title: t('datasets.item'), dataIndex: 'item', width: 110 },
    { key: 'value', title: t('datasets.value'), dataIndex: 'value', width: 160, ellipsis: true, render: (r) => r.value ?? '—' },
    { key: 'message', title: t('datasets.message'), dataIndex: 'message', width: 220 },
    { key: 'code', title: t('datasets.code'), dataIndex: 'code', width: 150, defaultHidden: true },
  ];
  return (
    <Drawer
      open={load !== null}
      onClose={onClose}
      title={t('datasets.report')}
      size={phone ? 380 : 760}
      destroyOnHidden
      extra={
        load ? (
          <Space size={4} wrap>
            <Button size="small" href={datasetsApi.reportUrl(load.id, 'csv')} data-testid="datasets-report-csv">
              {t('datasets.downloadCsv')}
            </Button>
            <Button size="small" href={datasetsApi.reportUrl(load.id, 'xlsx')}>
              {t('datasets.downloadXlsx')}
            </Button>
          </Space>
        ) : null
      }
    >
      {load ? <ListPage<RejectionRow> id="datasets-rejections" list={list} fetchPage={fetchPage} columns={columns} rowKey="id" rowTestId="datasets-rejection" scrollX={600} /> : null}
    </Drawer>
  );
}
