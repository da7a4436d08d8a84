// /catalogue — the resource catalogue browser: Chinese search (abbreviations, synonyms), facet filters with counts,
// the ranked result list (cursor paged, with total), exports of the current filter, and 新建资源 for managers.
import { useState } from 'react';
import { Button, Dropdown, Input, Select, Space, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { Link, navigate } from '../../router.tsx';
import { catalogueApi, resourcePath, SHARE_COLORS, STATUS_COLORS, type Facets, type ResourceSummary, type SearchQuery } from './api.ts';
import './catalogue.css';

type FacetKey = keyof Facets;
const FACETS: { key: FacetKey; param: keyof SearchQuery; prefix: string | null }[] = [
  { key: 'theme', param: 'theme', prefix: 'cat.theme.' },
  { key: 'provider', param: 'providerId', prefix: null },
  { key: 'class', param: 'class', prefix: 'cat.class.' },
  { key: 'shareType', param: 'shareType', prefix: 'cat.share.' },
  { key: 'updateCycle', param: 'updateCycle', prefix: 'cat.cycle.' },
  { key: 'openAttr', param: 'openAttr', prefix: 'cat.open.' },
];

export default function CataloguePage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<Partial<Record<FacetKey, string>>>({});
  const [facets, setFacets] = useState<Facets | null>(null);

  const query = (): SearchQuery => {
    const out: Record<string, string> = {};
    if (q.trim()) out.q = q.trim();
    for (const f of FACETS) if (filters[f.key]) out[f.param] = filters[f.key]!;
    return out as SearchQuery;
  };
  const fetchPage: PageFetcher<ResourceSummary> = async (cursor, signal, limit) => {
    const result = await catalogueApi.search({ ...query(), ...(cursor ? { cursor } : {}), limit }, signal);
    setFacets(result.facets);
    return result;
  };
  const list = useCursorList<ResourceSummary>(JSON.stringify([q, filters]), fetchPage, { choosePageSize: true });

  const label = (prefix: string | null, value: string, fallback: string | null) => (prefix ? tx(`${prefix}${value}`, value) : (fallback ?? value));
  const exportHref = (format: 'json' | 'csv' | 'jsonld') => `/api/catalogue/export?${new URLSearchParams({ ...(query() as Record<string, string>), format }).toString()}`;

  const shareTags = (r: ResourceSummary) => (
    <Space size={2} wrap>
      {(['unconditional', 'conditional', 'none'] as const)
        .filter((s) => r.shareTypes[s] > 0)
        .map((s) => (
          <Tag key={s} color={SHARE_COLORS[s]} className="cat-tag">
            {t(`cat.share.${s}`)} {r.shareTypes[s]}
          </Tag>
        ))}
    </Space>
  );
  const columns: ListColumn<ResourceSummary>[] = [
    {
      key: 'name',
      title: t('cat.name'),
      width: 240,
      required: true,
      render: (r) => (
        <Link to={resourcePath(r.code)} data-testid="catalogue-result">
          {r.name}
        </Link>
      ),
      exportValue: (r) => r.name,
    },
    { key: 'code', title: t('cat.code'), dataIndex: 'code', width: 150, className: 'mono' },
    { key: 'provider', title: t('cat.provider'), width: 200, render: (r) => r.provider.name, exportValue: (r) => r.provider.name },
    { key: 'theme', title: t('cat.theme'), width: 90, render: (r) => (r.theme ? tx(`cat.theme.${r.theme}`, r.theme) : '—'), exportValue: (r) => r.theme ?? '' },
    { key: 'updateCycle', title: t('cat.updateCycle'), width: 80, render: (r) => t(`cat.cycle.${r.updateCycle}`), exportValue: (r) => r.updateCycle },
    { key: 'share', title: t('cat.item.shareType'), width: 230, render: shareTags, exportValue: (r) => `${r.shareTypes.unconditional}/${r.shareTypes.conditional}/${r.shareTypes.none}` },
    { key: 'summary', title: t('cat.summary'), dataIndex: 'summary', ellipsis: true, defaultHidden: true },
    { key: 'status', title: t('cat.status'), width: 80, render: (r) => <Tag color={STATUS_COLORS[r.status]}>{t(`cat.status.${r.status}`)}</Tag>, exportValue: (r) => r.status },
  ];

  return (
    <div className="page" data-testid="catalogue-page">
      <PageHeader
        title={t('cat.title')}
        extra={
          <Space wrap>
            <Dropdown
              menu={{
                items: (['json', 'csv', 'jsonld'] as const).map((f) => ({ key: f, label: <a href={exportHref(f)} download>{f === 'jsonld' ? 'DCAT-AP JSON-LD' : f.toUpperCase()}</a> })),
              }}
            >
              <Button icon={<DownloadOutlined />}>{t('cat.export')}</Button>
            </Dropdown>
            {can('catalogue.manage') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/catalogue/new')} data-testid="catalogue-new">
                {t('cat.new')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Input.Search
        className="cat-search"
        allowClear
        enterButton
        value={draft}
        placeholder={t('cat.search')}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value === '') setQ('');
        }}
        onSearch={(value) => setQ(value)}
        data-testid="catalogue-search"
      />
      <div className="cat-facets" data-testid="catalogue-facets">
        {FACETS.map((f) => (
          <Select
            key={f.key}
            allowClear
            showSearch={f.key === 'provider'}
            optionFilterProp="label"
            className="cat-facet"
            placeholder={t(`cat.facet.${f.key}`)}
            value={filters[f.key]}
            onChange={(value?: string) => setFilters((prev) => ({ ...prev, [f.key]: value }))}
            options={(facets?.[f.key] ?? []).map((c) => ({ value: c.value, label: `${label(f.prefix, c.value, c.label)} (${c.count})` }))}
            data-testid={`catalogue-facet-${f.key}`}
          />
        ))}
        {Object.values(filters).some(Boolean) ? <Button onClick={() => setFilters({})}>{t('cat.clear')}</Button> : null}
      </div>
      <ListPage<ResourceSummary>
        id="catalogue"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1100}
        phoneLead={{
          key: 'lead',
          width: 240,
          primary: (r) => <Link to={resourcePath(r.code)}>{r.name}</Link>,
          secondary: (r) => (
            <span className="cat-lead">
              {r.provider.name} · {t(`cat.cycle.${r.updateCycle}`)}
              <br />
              {shareTags(r)}
            </span>
          ),
          folds: ['name', 'code', 'provider', 'updateCycle', 'share'],
        }}
      />
    </div>
  );
}
