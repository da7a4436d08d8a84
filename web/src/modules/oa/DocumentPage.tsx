// /oa/{received,sent,archive}/:id — one document: its fields, body (sanitised by the server), attachments, my
// receipt with the sign button, the sender's actions (upload, send, withdraw, archive, correct) and the receipt table
// per department with who has and has not signed.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, List, Popconfirm, Progress, Row, Space, Spin, Table, Tag, Upload } from 'antd';
import { CheckOutlined, ContainerOutlined, EditOutlined, PaperClipOutlined, RollbackOutlined, SendOutlined, UploadOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { navigate, useParams } from '../../router.tsx';
import { oaApi, type OaDocument, type ReceiptTable, type ReceiptUser } from './api.ts';
import { KindTag, StatusTag, UrgencyTag } from './parts.tsx';

export default function DocumentPage() {
  const { id } = useParams<'id'>();
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [doc, setDoc] = useState<OaDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [table, setTable] = useState<ReceiptTable | null>(null);
  const [department, setDepartment] = useState<string | null>(null);
  const [users, setUsers] = useState<ReceiptUser[]>([]);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      const d = await oaApi.get(id);
      setDoc(d);
      setTable(rowCan(d, 'receipts') ? await oaApi.receipts(id) : null);
    } catch (err) {
      setError(problem(err));
    }
  }, [id, problem]);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!id || !department) return;
    const ac = new AbortController();
    oaApi.receiptUsers(id, { departmentId: department, limit: 500 }, ac.signal).then((p) => setUsers(p.items), () => undefined);
    return () => ac.abort();
  }, [id, department]);

  const act = async (name: string, run: () => Promise<unknown>, done?: string) => {
    setBusy(name);
    try {
      await run();
      if (done) void message.success(done);
      await load();
      window.dispatchEvent(new Event('govcloud:badges'));
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };

  if (error) return <Alert type="error" message={error} showIcon />;
  if (!doc) return <Spin />;
  const base = window.location.pathname.split('/').slice(0, 3).join('/');

  const actions = (
    <Space wrap>
      {rowCan(doc, 'sign') ? (
        <Button type="primary" icon={<CheckOutlined />} loading={busy === 'sign'} onClick={() => act('sign', () => oaApi.sign(doc.id), t('oa.signedOk'))} data-testid="oa-sign">
          {t('oa.sign')}
        </Button>
      ) : null}
      {rowCan(doc, 'edit') ? (
        <Button icon={<EditOutlined />} onClick={() => navigate(`/oa/sent/new?edit=${doc.id}`)} data-testid="oa-edit">
          {t('oa.editDraft')}
        </Button>
      ) : null}
      {rowCan(doc, 'send') ? (
        <Popconfirm title={t('oa.sendConfirm')} onConfirm={() => act('send', () => oaApi.send(doc.id))} okText={t('oa.send')} cancelText={t('common.cancel')}>
          <Button type="primary" icon={<SendOutlined />} loading={busy === 'send'} data-testid="oa-send">
            {t('oa.send')}
          </Button>
        </Popconfirm>
      ) : null}
      {rowCan(doc, 'withdraw') ? (
        <Popconfirm title={t('oa.withdrawConfirm')} onConfirm={() => act('withdraw', () => oaApi.withdraw(doc.id))} okText={t('oa.withdraw')} cancelText={t('common.cancel')}>
          <Button icon={<RollbackOutlined />} loading={busy === 'withdraw'} data-testid="oa-withdraw">
            {t('oa.withdraw')}
          </Button>
        </Popconfirm>
      ) : null}
      {rowCan(doc, 'archive') ? (
        <Button icon={<ContainerOutlined />} loading={busy === 'archive'} onClick={() => act('archive', () => oaApi.archive(doc.id))} data-testid="oa-archive">
          {t('oa.archiveAction')}
        </Button>
      ) : null}
      {rowCan(doc, 'supersede') ? (
        <Button icon={<EditOutlined />} onClick={() => navigate(`/oa/sent/new?supersedes=${doc.id}`)} data-testid="oa-supersede">
          {t('oa.supersede')}
        </Button>
      ) : null}
    </Space>
  );

  return (
    <div className="page">
      <PageHeader
        title={
          <Space wrap>
            <a onClick={() => navigate(base)}>{t('oa.backToList')}</a>
            <span>{doc.title}</span>
          </Space>
        }
        extra={actions}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small">
            <Descriptions size="small" column={phone ? 1 : 2} data-testid="oa-document">
              <Descriptions.Item label={t('oa.number')}>{doc.number ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('oa.kind')}>
                <KindTag kind={doc.kind} /> <UrgencyTag urgency={doc.urgency} /> <Tag>{tx(`oa.marking.${doc.marking}`, doc.marking)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('oa.sender')}>{doc.sender.name}</Descriptions.Item>
              <Descriptions.Item label={t('oa.status')}>
                <StatusTag status={doc.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('oa.sentAt')}>{formatDateTime(doc.sentAt)}</Descriptions.Item>
              <Descriptions.Item label={t('oa.deadline')}>{formatDateTime(doc.signDeadline)}</Descriptions.Item>
              {doc.myReceipt ? (
                <Descriptions.Item label={t('oa.myReceipt')}>{doc.myReceipt.signedAt ? `${t('oa.signed')} ${formatDateTime(doc.myReceipt.signedAt)}` : t('oa.unsigned')}</Descriptions.Item>
              ) : null}
              {doc.supersedesId ? (
                <Descriptions.Item label={t('oa.supersedes')}>
                  <a onClick={() => navigate(`${base}/${doc.supersedesId}`)}>{doc.supersedesId.slice(0, 8)}</a>
                </Descriptions.Item>
              ) : null}
              {doc.supersededById ? (
                <Descriptions.Item label={t('oa.supersededBy')}>
                  <a onClick={() => navigate(`${base}/${doc.supersededById}`)}>{doc.supersededById.slice(0, 8)}</a>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('oa.recipients')} span={phone ? 1 : 2}>
                {[
                  ...doc.recipients.departments.map((d) => d.name + (d.withSubDepartments ? `（${t('oa.recipients.withSub')}）` : '')),
                  ...doc.recipients.regions.map((r) => r.name),
                  ...doc.recipients.roles.map((r) => tx(`role.${r}`, r)),
                ].join('、') || '—'}
              </Descriptions.Item>
            </Descriptions>
            {/* the server keeps only p, br, strong/b, em/i, u, lists, h3/h4 and blockquote, without attributes */}
            <div className="oa-body" style={{ marginTop: 16, lineHeight: 1.8, overflowWrap: 'anywhere' }} dangerouslySetInnerHTML={{ __html: doc.body }} data-testid="oa-body" />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('oa.attachments')}>
            <List
              size="small"
              dataSource={doc.attachments}
              locale={{ emptyText: '—' }}
              renderItem={(f) => (
                <List.Item>
                  <a href={`/api/files/${f.id}/content`} target="_blank" rel="noreferrer">
                    <PaperClipOutlined /> {f.name}
                  </a>
                  <span style={{ color: '#999' }}>{Math.ceil(f.size / 1024)} KB</span>
                </List.Item>
              )}
            />
            {rowCan(doc, 'attach') ? (
              <Upload
                showUploadList={false}
                customRequest={({ file, onSuccess, onError }) => {
                  void act('upload', () => oaApi.upload(doc.id, file as File)).then(
                    () => onSuccess?.({}),
                    (e: Error) => onError?.(e),
                  );
                }}
              >
                <Button icon={<UploadOutlined />} loading={busy === 'upload'} style={{ marginTop: 8 }} data-testid="oa-upload">
                  {t('oa.upload')}
                </Button>
                <div style={{ color: '#999', fontSize: 12, marginTop: 4 }}>{t('oa.uploadHint')}</div>
              </Upload>
            ) : null}
          </Card>
        </Col>
        {table ? (
          <Col xs={24}>
            <Card size="small" title={`${t('oa.receiptTable')} · ${t('oa.signedCount', { signed: table.totals.signed, total: table.totals.total })}`}>
              <Progress percent={table.totals.total ? Math.round((100 * table.totals.signed) / table.totals.total) : 0} />
              <Row gutter={[16, 16]}>
                <Col xs={24} lg={14}>
                  <Table
                    size="small"
                    rowKey="departmentId"
                    dataSource={table.departments}
                    pagination={{ pageSize: 20, size: 'small' }}
                    scroll={{ x: 520 }}
                    onRow={(r) => ({ onClick: () => setDepartment(r.departmentId), style: { cursor: 'pointer' } })}
                    rowClassName={(r) => (r.departmentId === department ? 'ant-table-row-selected' : '')}
                    columns={[
                      { key: 'name', title: t('oa.department'), dataIndex: 'name' },
                      { key: 'total', title: t('oa.total'), dataIndex: 'total', width: 80 },
                      { key: 'signed', title: t('oa.signed'), dataIndex: 'signed', width: 80 },
                      { key: 'unsigned', title: t('oa.unsigned'), dataIndex: 'unsigned', width: 80, render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : 0) },
                      { key: 'read', title: t('oa.read'), dataIndex: 'read', width: 80 },
                    ]}
                    data-testid="oa-receipt-departments"
                  />
                </Col>
                <Col xs={24} lg={10}>
                  <Table
                    size="small"
                    rowKey="userId"
                    dataSource={department ? users : []}
                    pagination={{ pageSize: 20, size: 'small' }}
                    columns={[
                      { key: 'user', title: t('oa.user'), render: (_: unknown, u: ReceiptUser) => `${u.displayName}（${u.username}）` },
                      { key: 'signedAt', title: t('oa.signedAt'), width: 150, render: (_: unknown, u: ReceiptUser) => (u.signedAt ? formatDateTime(u.signedAt) : <Tag color="orange">{t('oa.unsigned')}</Tag>) },
                    ]}
                    data-testid="oa-receipt-users"
                  />
                </Col>
              </Row>
            </Card>
          </Col>
        ) : null}
      </Row>
    </div>
  );
}
