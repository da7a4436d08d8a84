// /community/imports — 居民导入: a CSV/XLSX file (upload progress, then the server's rows read while it checks), or a
// pull from the sharing platform's population resource through the department's grant (a job, polled); the history
// of the caller's imports with the per-row per-column report (drawer, CSV/XLSX download).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Drawer, Progress, Row, Select, Space, Switch, Table, Tag, Typography, Upload } from 'antd';
import { CloudDownloadOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { communityApi, type Import, type ImportRejection, type PullSource } from './api.ts';

const RUNNING = new Set(['queued', 'receiving', 'validating', 'committing']);
const STATUS_COLOR: Record<Import['status'], string> = { queued: 'default', receiving: 'processing', validating: 'processing', committing: 'processing', committed: 'success', rejected: 'warning', failed: 'error' };

export default function ImportPage() {
  const { t, problem } = useI18n();
  const [imports, setImports] = useState<Import[]>([]);
  const [sources, setSources] = useState<PullSource[]>([]);
  const [source, setSource] = useState<string | undefined>();
  const [encoding, setEncoding] = useState<'auto' | 'utf-8' | 'gb18030'>('auto');
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [sending, setSending] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<{ type: 'success' | 'warning' | 'error' | 'info'; text: string } | null>(null);
  const [report, setReport] = useState<Import | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<number | null>(null);

  const load = useCallback(
    () =>
      communityApi.imports().then(
        (r) => {
          setImports(r.items);
          setError(null);
          return r.items;
        },
        (err: unknown) => {
          setError(err);
          return [] as Import[];
        },
      ),
    [],
  );
  // while an import runs (an upload being checked, a pull job), the list is polled every second
  const poll = useCallback(() => {
    if (timer.current !== null) return;
    timer.current = window.setInterval(() => {
      void load().then((items) => {
        if (!items.some((i) => RUNNING.has(i.status)) && timer.current !== null) {
          window.clearInterval(timer.current);
          timer.current = null;
        }
      });
    }, 1000);
  }, [load]);
  useEffect(() => {
    void load().then((items) => items.some((i) => RUNNING.has(i.status)) && poll());
    communityApi.pullSources().then(
      (r) => {
        setSources(r.items);
        setSource(r.items[0]?.resourceId);
      },
      () => undefined,
    );
    return () => {
      if (timer.current !== null) window.clearInterval(timer.current);
    };
  }, [load, poll]);

  const outcomeOf = (i: Import) =>
    i.status === 'committed'
      ? { type: i.rejectedRows > 0 ? ('warning' as const) : ('success' as const), text: t('cm.import.done', { inserted: i.insertedRows, updated: i.updatedRows, rejected: i.rejectedRows }) }
      : { type: 'warning' as const, text: t('cm.import.rejectedAll', { rejected: i.rejectedRows }) };

  const upload = async (file: File) => {
    setOutcome(null);
    setSending(0);
    poll();
    try {
      const done = await communityApi.upload(file, { allOrNothing, encoding }, (sent) => setSending(Math.round(sent * 100)));
      setOutcome(outcomeOf(done));
      if (done.rejectedRows > 0) setReport(done);
    } catch (err) {
      setOutcome({ type: 'error', text: problem(err) });
    } finally {
      setSending(null);
      void load();
    }
  };

  const pull = async () => {
    if (!source) return;
    try {
      await communityApi.pull(source);
      setOutcome({ type: 'info', text: t('cm.import.queued') });
      await load();
      poll();
    } catch (err) {
      setOutcome({ type: 'error', text: problem(err) });
    }
  };

  const running = imports.find((i) => RUNNING.has(i.status));
  return (
    <div className="page" data-testid="community-imports-page">
      <PageHeader title={t('cm.imports.title')} />
      {error ? <ErrorAlert error={error} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('cm.import.file')} extra={<a href={communityApi.templateUrl}><DownloadOutlined /> {t('cm.import.template')}</a>}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <span>
                  {t('cm.import.encoding')}{' '}
                  <Select size="small" style={{ width: 130 }} value={encoding} onChange={setEncoding} options={[{ value: 'auto', label: t('cm.import.encodingAuto') }, { value: 'utf-8', label: 'UTF-8' }, { value: 'gb18030', label: 'GBK / GB18030' }]} />
                </span>
                <span>
                  <Switch size="small" checked={allOrNothing} onChange={setAllOrNothing} /> {t('cm.import.allOrNothing')}
                </span>
              </Space>
              <Upload.Dragger data-testid="community-import-upload" accept=".csv,.txt,.xlsx" multiple={false} showUploadList={false} disabled={sending !== null} beforeUpload={(file) => (void upload(file), false)}>
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('cm.import.upload')}</p>
                <p className="ant-upload-hint">{t('cm.import.hint')}</p>
              </Upload.Dragger>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('cm.import.pull')}>
            <Typography.Paragraph type="secondary">{t('cm.import.pullHint')}</Typography.Paragraph>
            {sources.length === 0 ? (
              <Alert type="info" showIcon message={t('cm.import.noSource')} action={<Link to="/sharing/requests/new">{t('cm.import.apply')}</Link>} />
            ) : (
              <Space wrap>
                <Select style={{ width: 240, maxWidth: '100%' }} value={source} onChange={setSource} options={sources.map((s) => ({ value: s.resourceId, label: s.name }))} />
                <Button type="primary" icon={<CloudDownloadOutlined />} onClick={() => void pull()} disabled={running !== undefined}>
                  {t('cm.import.start')}
                </Button>
              </Space>
            )}
          </Card>
        </Col>
      </Row>
      {sending !== null || running ? (
        <div data-testid="community-import-progress" style={{ marginTop: 16 }}>
          <Progress percent={sending ?? (running?.bytesTotal ? Math.round((100 * running.bytesRead) / running.bytesTotal) : 99)} size="small" status="active" />
          <Typography.Text type="secondary">{running && running.totalRows > 0 ? t('cm.import.processing', { rows: running.totalRows }) : t('cm.import.sending', { pct: sending ?? 0 })}</Typography.Text>
        </div>
      ) : null}
      {outcome ? <Alert style={{ marginTop: 16 }} data-testid="community-import-outcome" type={outcome.type} showIcon message={outcome.text} /> : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('cm.import.history')}
      </Typography.Title>
      <Table<Import>
        data-testid="community-import-history"
        size="small"
        rowKey="id"
        dataSource={imports}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          { key: 'name', title: t('cm.import.file'), render: (_, i) => i.fileName ?? t('cm.import.source.sharing'), ellipsis: true },
          { key: 'status', title: t('cm.status'), width: 90, render: (_, i) => <Tag color={STATUS_COLOR[i.status]}>{t(`cm.import.status.${i.status}`)}</Tag> },
          { key: 'rows', title: t('cm.import.rows'), dataIndex: 'totalRows', width: 70 },
          { key: 'inserted', title: t('cm.import.inserted'), dataIndex: 'insertedRows', width: 70 },
          { key: 'updated', title: t('cm.import.updated'), dataIndex: 'updatedRows', width: 70 },
          { key: 'rejected', title: t('cm.import.rejected'), width: 70, render: (_, i) => (i.rejectedRows > 0 ? <Button type="link" size="small" onClick={() => setReport(i)}>{i.rejectedRows}</Button> : 0) },
          { key: 'at', title: t('cm.import.at'), width: 150, render: (_, i) => new Date(i.createdAt).toLocaleString() },
        ]}
      />
      <ReportDrawer report={report} onClose={() => setReport(null)} />
    </div>
  );
}

type RejectionRow = ImportRejection & { id: string };

function ReportDrawer({ report, onClose }: { report: Import | null; onClose: () => void }) {
  const { t } = useI18n();
  const fetchPage: PageFetcher<RejectionRow> = async (cursor, signal, limit) => {
    if (!report) return { items: [], nextCursor: null };
    const page = await communityApi.importRejections(report.id, cursor, limit, signal);
    return { ...page, items: page.items.map((r) => ({ ...r, id: `${r.rowNo}:${r.item}` })) };
  };
  const list = useCursorList<RejectionRow>(`community-import-rejections|${report?.id ?? ''}`, fetchPage);
  const columns: ListColumn<RejectionRow>[] = [
    { key: 'rowNo', title: t('cm.import.rowNo'), dataIndex: 'rowNo', width: 70, render: (r) => (r.rowNo === 0 ? t('cm.import.header') : r.rowNo) },
    { key: 'item', title: t('cm.import.item'), dataIndex: 'item', width: 110 },
    { key: 'value', title: t('cm.import.value'), dataIndex: 'value', width: 170, ellipsis: true, render: (r) => r.value ?? '—' },
    { key: 'message', title: t('cm.import.message'), dataIndex: 'message', width: 240 },
  ];
  return (
    <Drawer
      open={report !== null}
      onClose={onClose}
      width="min(760px, 100vw)"
      title={t('cm.import.report')}
      extra={
        report ? (
          <Space>
            <a href={communityApi.reportUrl(report.id, 'csv')} data-testid="community-import-report-csv">CSV</a>
            <a href={communityApi.reportUrl(report.id, 'xlsx')}>XLSX</a>
          </Space>
        ) : null
      }
    >
      {report ? <ListPage<RejectionRow> id="community-import-rejections" list={list} fetchPage={fetchPage} columns={columns} rowKey="id" rowTestId="community-import-rejection" scrollX={600} /> : null}
    </Drawer>
  );
}
