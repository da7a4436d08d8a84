// /catalogue/:code — one resource: summary, the item table (type, key, required, sensitivity, share type as a
// coloured tag, legal basis), the version history, 申请共享 (the sharing module's request wizard) and, for its
// managers, edit / publish / withdraw.
import ResourceQuality from '../quality/ResourceQuality.tsx';
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Descriptions, Space, Table, Tag, Timeline, Typography } from 'antd';
import { EditOutlined, SendOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { isAbortError } from '../../api/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { Link, navigate, useParams } from '../../router.tsx';
import { catalogueApi, resourcePath, SHARE_COLORS, STATUS_COLORS, type ResourceDetail, type ResourceItem, type Versions } from './api.ts';
import './catalogue.css';

export default function ResourcePage() {
  const { code = '' } = useParams<'code'>();
  const { t, tx, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [resource, setResource] = useState<ResourceDetail | null>(null);
  const [versions, setVersions] = useState<Versions['items']>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    Promise.all([catalogueApi.get(code, abort.signal), catalogueApi.versions(code, abort.signal)])
      .then(([r, v]) => {
        setResource(r);
        setVersions(v.items);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      });
    return () => abort.abort();
  }, [code, tick]);

  const act = async (action: 'publish' | 'withdraw') => {
    setBusy(true);
    try {
      await catalogueApi[action](code);
      void message.success(t(action === 'publish' ? 'cat.published' : 'cat.withdrawn'));
      setTick((n) => n + 1);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorAlert error={error} />;
  if (!resource) return <Card loading />;

  const yes = (v: boolean) => (v ? t('cat.yes') : '—');
  const itemColumns = [
    { key: 'name', title: t('cat.item.name'), render: (_: unknown, i: ResourceItem) => <span>{i.name}</span>, width: 140 },
    { key: 'code', title: t('cat.item.code'), dataIndex: 'code', className: 'mono', width: 130 },
    { key: 'type', title: t('cat.item.type'), dataIndex: 'type', width: 100 },
    { key: 'key', title: t('cat.item.key'), render: (_: unknown, i: ResourceItem) => yes(i.isKey), width: 60 },
    { key: 'required', title: t('cat.item.required'), render: (_: unknown, i: ResourceItem) => yes(i.required), width: 60 },
    { key: 'sensitivity', title: t('cat.item.sensitivity'), dataIndex: 'sensitivity', width: 80 },
    {
      key: 'shareType',
      title: t('cat.item.shareType'),
      width: 110,
      render: (_: unknown, i: ResourceItem) => (
        <Tag color={SHARE_COLORS[i.shareType]} data-testid={`item-share-${i.code}`}>
          {t(`cat.share.${i.shareType}`)}
        </Tag>
      ),
    },
    { key: 'legalBasis', title: t('cat.item.legalBasis'), render: (_: unknown, i: ResourceItem) => i.legalBasis ?? '—' },
  ];
  const phoneItemColumns = [
    {
      key: 'item',
      title: t('cat.items'),
      render: (_: unknown, i: ResourceItem) => (
        <div>
          <Space size={4} wrap>
            <strong>{i.name}</strong>
            <Tag color={SHARE_COLORS[i.shareType]}>{t(`cat.share.${i.shareType}`)}</Tag>
            {i.isKey ? <Tag>{t('cat.item.key')}</Tag> : null}
          </Space>
          <div className="cat-lead">
            {i.code} · {i.type} · {t('cat.item.sensitivity')} {i.sensitivity}
            {i.legalBasis ? ` · ${i.legalBasis}` : ''}
          </div>
        </div>
      ),
    },
  ];

  return (
    <div className="page" data-testid="resource-page">
      <PageHeader
        title={
          <Space wrap>
            {resource.name}
            <Tag color={STATUS_COLORS[resource.status]}>{t(`cat.status.${resource.status}`)}</Tag>
          </Space>
        }
        extra={
          <Space wrap>
            <Link to="/catalogue">{t('cat.back')}</Link>
            {rowCan(resource, 'request') ? (
              <Button type="primary" icon={<SendOutlined />} onClick={() => navigate(`/sharing/requests/new?resource=${encodeURIComponent(resource.code)}`)} data-testid="resource-request">
                {t('cat.request')}
              </Button>
            ) : null}
            {rowCan(resource, 'update') ? (
              <Button icon={<EditOutlined />} onClick={() => navigate(`${resourcePath(resource.code)}/edit`)}>
                {t('cat.edit')}
              </Button>
            ) : null}
            {rowCan(resource, 'publish') ? (
              <Button loading={busy} onClick={() => act('publish')}>
                {t('cat.publish')}
              </Button>
            ) : null}
            {rowCan(resource, 'withdraw') ? (
              <Button danger loading={busy} onClick={() => act('withdraw')}>
                {t('cat.withdraw')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card size="small">
        <Descriptions
          size="small"
          column={phone ? 1 : 3}
          items={[
            { key: 'code', label: t('cat.code'), children: <span className="mono">{resource.code}</span> },
            { key: 'provider', label: t('cat.provider'), children: resource.provider.name },
            { key: 'class', label: t('cat.class'), children: `${t(`cat.class.${resource.class}`)} · ${resource.classCode}` },
            { key: 'theme', label: t('cat.theme'), children: resource.theme ? tx(`cat.theme.${resource.theme}`, resource.theme) : '—' },
            { key: 'cycle', label: t('cat.updateCycle'), children: t(`cat.cycle.${resource.updateCycle}`) },
            { key: 'open', label: t('cat.openAttr'), children: t(`cat.open.${resource.openAttr}`) },
            { key: 'modes', label: t('cat.shareModes'), children: resource.shareModes.map((m) => t(`cat.mode.${m}`)).join('、') },
            { key: 'format', label: t('cat.format'), children: resource.format },
            { key: 'published', label: t('cat.publishedAt'), children: resource.publishedAt ?? '—' },
            { key: 'version', label: t('cat.version'), children: `v${resource.version}` },
            {
              key: 'related',
              label: t('cat.related'),
              children: resource.relatedCodes.length
                ? resource.relatedCodes.map((c) => (
                    <Link key={c} to={resourcePath(c)}>
                      {c}{' '}
                    </Link>
                  ))
                : '—',
            },
            { key: 'summary', label: t('cat.summary'), span: phone ? 1 : 3, children: resource.summary || '—' },
          ]}
        />
      </Card>
      <div className="cat-quality-slot" data-testid="resource-quality-slot" data-resource-id={resource.id}>
        <ResourceQuality code={resource.code} />
      </div>
      <Card size="small" title={`${t('cat.items')} (${resource.items.length})`} style={{ marginTop: 12 }}>
        <Table<ResourceItem> size="small" rowKey="code" pagination={false} columns={phone ? phoneItemColumns : itemColumns} dataSource={resource.items} scroll={phone ? undefined : { x: 900 }} data-testid="resource-items" />
      </Card>
      <Card size="small" title={t('cat.versions')} style={{ marginTop: 12 }} data-testid="resource-versions">
        <Timeline
          items={versions.map((v) => ({
            key: v.version,
            children: (
              <div>
                <Typography.Text strong>v{v.version}</Typography.Text> · {formatDateTime(v.changedAt)} · {v.changedBy ?? t('cat.system')} · {t('cat.changes', { n: v.changes.length })}
                <div className="cat-lead">{v.changes.slice(0, 8).map((c) => c.field).join('、')}</div>
              </div>
            ),
          }))}
        />
      </Card>
    </div>
  );
}
