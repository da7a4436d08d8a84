// /community/residents/:id — 居民画像: header (name, masked ID, age, community/grid/household, labels with add/remove),
// fact flags, household members, and one card per shared source with freshness tags; ungranted sources as "no grant"
// cards with 申请共享. One column at 390 px, a two-column body at 1440 px.
import { useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { isAbortError } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { Link, useParams } from '../../router.tsx';
import { profilesApi, type LabelCounts, type Profile, type ProfileSource } from './api.ts';
import './profiles.css';

const show = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));

function SourceCard({ source }: { source: ProfileSource }) {
  const { t, tx } = useI18n();
  const granted = source.access === 'granted';
  return (
    <Card
      size="small"
      className="profile-source"
      data-testid="profile-source"
      title={<span className="profile-source-title">{source.resourceName}</span>}
      extra={
        granted ? (
          <Space size={4} wrap>
            <Tag color="green">{t('profiles.granted')}</Tag>
            <Tag color={source.stale ? 'orange' : 'blue'} data-testid="freshness">
              {t(source.stale ? 'profiles.stale' : 'profiles.fresh')}
            </Tag>
          </Space>
        ) : (
          <Tag>{t('profiles.noGrant')}</Tag>
        )
      }
    >
      <div className="profile-meta">
        {t('profiles.provider')}：{source.providerDepartmentName} · {t('profiles.cycle')}：{tx(`profiles.cycle.${source.updateCycle}`, source.updateCycle)}
        <br />
        {t('profiles.lastLoad')}：{formatDateTime(source.lastLoadAt)}
        {granted ? (
          <>
            {' '}
            · {t('profiles.rowUpdated')}：{formatDateTime(source.rowUpdatedAt)}
          </>
        ) : null}
      </div>
      {source.facts.length > 0 ? (
        <Space size={4} wrap style={{ marginBottom: 8 }}>
          {source.facts.map((f) => (
            <Tag key={f}>{tx(`profiles.fact.${f}`, f)}</Tag>
          ))}
        </Space>
      ) : null}
      {!granted ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="info" showIcon title={t('profiles.noGrantHelp')} />
          {source.applyPath ? (
            <Link to={source.applyPath}>
              <Button icon={<SendOutlined />} data-testid="apply">
                {t('profiles.apply')}
              </Button>
            </Link>
          ) : null}
        </Space>
      ) : null}
      {granted && source.records.length === 0 ? <Typography.Text type="secondary">{t('profiles.noRecord')}</Typography.Text> : null}
      {source.records.map((record, i) => (
        <Descriptions key={i} size="small" column={1} bordered className="profile-record">
          {source.items.map((item) => (
            <Descriptions.Item key={item.code} label={item.name}>
              {show(record.values[item.code])}
            </Descriptions.Item>
          ))}
        </Descriptions>
      ))}
    </Card>
  );
}

export default function ProfilePage() {
  const { id = '' } = useParams<'id'>();
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [labels, setLabels] = useState<LabelCounts['items']>([]);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ label: string; note?: string }>();
  const [removeNote, setRemoveNote] = useState('');

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    profilesApi
      .get(id, abort.signal)
      .then(setProfile)
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      });
    profilesApi
      .labels(abort.signal)
      .then((r) => setLabels(r.items))
      .catch(() => undefined);
    return () => abort.abort();
  }, [id]);

  if (error) return <ErrorAlert error={error} />;
  if (!profile) return <Card loading />;
  const r = profile.resident;

  const attach = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const result = await profilesApi.attach(r.id, values.label, values.note ?? '');
      setProfile({ ...profile, labels: result.labels });
      void message.success(t(result.created ? 'profiles.labelAdded' : 'profiles.labelExists'));
      setAdding(false);
      form.resetFields();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };
  const detach = async (code: string) => {
    try {
      const result = await profilesApi.detach(r.id, code, removeNote.trim());
      setProfile({ ...profile, labels: result.labels });
      void message.success(t('profiles.labelRemoved'));
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setRemoveNote('');
    }
  };

  const canManage = profile.abilities.manageLabels;
  const held = new Set(profile.labels.map((l) => l.code));
  const granted = profile.sources.filter((s) => s.access === 'granted');
  const ungranted = profile.sources.filter((s) => s.access === 'no_grant');

  const header = (
    <Card className="profile-header" data-testid="profile-header">
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        <Space size={8} wrap align="baseline">
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="profile-name">
            {r.name}
          </Typography.Title>
          <Typography.Text>
            {t(`profiles.sex.${r.sex}`)} · {t('profiles.age', { n: r.age })}
          </Typography.Text>
          <Tag>{tx(`profiles.residence.${r.residenceStatus}`, r.residenceStatus)}</Tag>
          {r.status !== 'active' ? <Tag color="red">{tx(`profiles.status.${r.status}`, r.status)}</Tag> : null}
        </Space>
        <Descriptions size="small" column={phone ? 1 : 3}>
          <Descriptions.Item label={t('profiles.idNumber')}>
            <span data-testid="profile-id">{r.idNumber}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('profiles.phone')}>{show(r.phone)}</Descriptions.Item>
          <Descriptions.Item label={t('profiles.movedIn')}>{formatDate(r.movedInOn)}</Descriptions.Item>
          <Descriptions.Item label={t('profiles.community')}>{show(r.communityName ?? r.communityCode)}</Descriptions.Item>
          <Descriptions.Item label={t('profiles.grid')}>{show(r.gridName)}</Descriptions.Item>
          <Descriptions.Item label={t('profiles.household')}>{show(profile.household?.householdNo)}</Descriptions.Item>
          <Descriptions.Item label={t('profiles.address')} span={phone ? 1 : 3}>
            {show(r.address)}
          </Descriptions.Item>
        </Descriptions>
        {profile.masked ? <Typography.Text type="secondary">{t('profiles.masked')}</Typography.Text> : null}
        <Space size={[4, 8]} wrap data-testid="profile-labels">
          <Typography.Text strong>{t('profiles.labels')}：</Typography.Text>
          {profile.labels.length === 0 ? <Typography.Text type="secondary">{t('profiles.noLabels')}</Typography.Text> : null}
          {profile.labels.map((l) =>
            canManage ? (
              <Popconfirm
                key={l.code}
                title={t('profiles.removeLabel')}
                description={<Input placeholder={t('profiles.removeReason')} maxLength={200} value={removeNote} onChange={(e) => setRemoveNote(e.target.value)} />}
                onConfirm={() => void detach(l.code)}
              >
                <Tag color={l.color} closable onClose={(e) => e.preventDefault()} title={l.note || undefined} style={{ cursor: 'pointer' }}>
                  {l.name}
                </Tag>
              </Popconfirm>
            ) : (
              <Tag key={l.code} color={l.color} title={l.note || undefined}>
                {l.name}
              </Tag>
            ),
          )}
          {canManage ? (
            <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-label">
              {t('profiles.addLabel')}
            </Button>
          ) : null}
        </Space>
        <Space size={[4, 8]} wrap data-testid="profile-facts">
          <Typography.Text strong>{t('profiles.facts')}：</Typography.Text>
          {profile.facts.length === 0 ? <Typography.Text type="secondary">{t('profiles.noFacts')}</Typography.Text> : null}
          {profile.facts.map((f) => (
            <Tag key={f.fact} color={f.value ? 'geekblue' : undefined} title={`${f.sourceResourceCode} · ${formatDateTime(f.sourceUpdatedAt)}`}>
              {tx(`profiles.fact.${f.fact}`, f.fact)}
              {f.value ? '' : `（${t('profiles.factNo')}）`}
            </Tag>
          ))}
        </Space>
      </Space>
    </Card>
  );

  const members = profile.household ? (
    <Card size="small" title={t('profiles.members')} className="profile-members">
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={profile.household.members}
        scroll={{ x: true }}
        columns={[
          {
            title: t('profiles.name'),
            dataIndex: 'name',
            render: (_: unknown, m) =>
              m.self ? (
                <Space size={4}>
                  {m.name}
                  <Tag>{t('profiles.self')}</Tag>
                </Space>
              ) : (
                <Link to={`/community/residents/${m.id}`}>{m.name}</Link>
              ),
          },
          { title: t('profiles.relation'), dataIndex: 'relation', render: (v: string | null) => (v ? tx(`profiles.relation.${v}`, v) : '—') },
          { title: t('profiles.ageColumn'), dataIndex: 'age', responsive: ['sm'] },
          { title: t('profiles.idNumber'), dataIndex: 'idNumber', responsive: ['md'] },
        ]}
      />
    </Card>
  ) : null;

  return (
    <div className="page profile-page">
      <PageHeader title={t('profiles.title')} />
      {header}
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={16}>
          <Typography.Title level={5}>{t('profiles.sources')}</Typography.Title>
          {profile.consumer ? (
            <Typography.Paragraph type="secondary">{t('profiles.sourcesHelp', { client: profile.consumer.clientName ?? profile.consumer.departmentName, department: profile.consumer.departmentName })}</Typography.Paragraph>
          ) : (
            <Alert type="warning" showIcon title={t('profiles.noConsumer')} style={{ marginBottom: 12 }} />
          )}
          {profile.sources.length === 0 && profile.consumer ? <Empty /> : null}
          <div className="profile-grid">
            {[...granted, ...ungranted].map((s) => (
              <SourceCard key={s.resourceCode} source={s} />
            ))}
          </div>
        </Col>
        <Col xs={24} xl={8}>
          {members}
        </Col>
      </Row>
      <Modal title={t('profiles.addLabel')} open={adding} onOk={() => void attach()} onCancel={() => setAdding(false)} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="label" label={t('profiles.label')} rules={[{ required: true }]}>
            <Select
              data-testid="label-select"
              options={labels.filter((l) => !held.has(l.code)).map((l) => ({ value: l.code, label: l.name }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('profiles.note')}>
            <Input.TextArea maxLength={200} placeholder={t('profiles.notePlaceholder')} autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
