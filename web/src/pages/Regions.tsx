// /regions — lazily loaded region tree, a searchable region table and a detail drawer with history.
import { useCallback, useEffect, useMemo, useState, type Key } from 'react';
import { Button, Card, Col, Descriptions, Drawer, Empty, Input, Row, Select, Space, Spin, Table, Tag, Timeline, Tree, Typography } from 'antd';
import type { TableColumnsType, TreeDataNode } from 'antd';
import { api, isAbortError, type Region, type RegionDetail, type RegionLevel } from '../api.ts';
import { CursorPager, useCursorList } from '../components/cursor.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { fetchAllRegions, fetchRegionRoots, sortRegions } from '../components/regionData.ts';
import { useI18n } from '../context.tsx';
import { formatDate, levelKey, LEVEL_COLORS } from '../format.ts';
import { PageHeader } from '../Layout.tsx';

const PAGE_SIZE = 20;

function RegionTreePanel({ selected, onSelect }: { selected: Region | null; onSelect: (region: Region | null) => void }) {
  const { t } = useI18n();
  const [roots, setRoots] = useState<Region[] | null>(null);
  const [children, setChildren] = useState<Record<string, Region[]>>({});
  const [error, setError] = useState<unknown>(null);
  const [expanded, setExpanded] = useState<Key[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchRegionRoots(controller.signal)
      .then((r) => {
        setRoots(r);
        if (r.length === 1 && r[0]) setExpanded([r[0].code]);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      });
    return () => controller.abort();
  }, []);

  const byCode = useMemo(() => {
    const map = new Map<string, Region>();
    for (const r of roots ?? []) map.set(r.code, r);
    for (const list of Object.values(children)) for (const r of list) map.set(r.code, r);
    return map;
  }, [roots, children]);

  const loadChildren = useCallback(async (code: string) => {
    const list = sortRegions(await fetchAllRegions({ parent: code }));
    setChildren((prev) => ({ ...prev, [code]: list }));
  }, []);

  const treeData = useMemo(() => {
    const build = (r: Region): TreeDataNode => {
      const kids = children[r.code];
      return {
        key: r.code,
        title: (
          <span className={r.validTo ? 'region-tree-node region-retired' : 'region-tree-node'}>
            <span className="region-tree-name">{r.name}</span>
            <span className="region-tree-count mono">{r.code}</span>
          </span>
        ),
        isLeaf: r.level >= 4 || (kids !== undefined && kids.length === 0),
        children: kids?.map(build),
      };
    };
    return (roots ?? []).map(build);
  }, [roots, children]);

  return (
    <Card title={t('regions.tree')} size="small" className="page-card">
      <ErrorAlert error={error} />
      {roots === null && !error ? (
        <div className="page-spin">
          <Spin />
        </div>
      ) : treeData.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Tree
          showLine
          blockNode
          height={560}
          treeData={treeData}
          expandedKeys={expanded}
          onExpand={(keys) => setExpanded(keys)}
          loadData={(node) => (children[String(node.key)] ? Promise.resolve() : loadChildren(String(node.key)))}
          selectedKeys={selected ? [selected.code] : []}
          onSelect={(keys) => {
            const key = keys[0];
            onSelect(key === undefined ? null : (byCode.get(String(key)) ?? null));
          }}
        />
      )}
    </Card>
  );
}

function RegionDrawer({ code, onClose }: { code: string | null; onClose: () => void }) {
  const { t, tx } = useI18n();
  const [detail, setDetail] = useState<{ data: RegionDetail | null; error: unknown }>({ data: null, error: null });

  useEffect(() => {
    if (!code) return;
    const controller = new AbortController();
    setDetail({ data: null, error: null });
    api
      .region(code, controller.signal)
      .then((data) => setDetail({ data, error: null }))
      .catch((err: unknown) => {
        if (!isAbortError(err)) setDetail({ data: null, error: err });
      });
    return () => controller.abort();
  }, [code]);

  const d = detail.data;
  return (
    <Drawer open={code !== null} onClose={onClose} title={d ? `${d.name} · ${d.code}` : code} size={520} destroyOnHidden>
      <ErrorAlert error={detail.error} />
      {!d && !detail.error ? <Spin /> : null}
      {d ? (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'code', label: t('regions.code'), children: <span className="mono">{d.code}</span> },
              { key: 'name', label: t('regions.name'), children: d.name },
              { key: 'level', label: t('regions.level'), children: t(levelKey(d.level)) },
              { key: 'parent', label: t('regions.parent'), children: <span className="mono">{d.parentCode ?? '—'}</span> },
              { key: 'path', label: t('regions.path'), children: <span className="mono">{d.path}</span> },
              { key: 'from', label: t('regions.validFrom'), children: formatDate(d.validFrom) },
              { key: 'to', label: t('regions.validTo'), children: formatDate(d.validTo) },
              { key: 'successor', label: t('regions.successor'), children: <span className="mono">{d.successorCode ?? '—'}</span> },
            ]}
          />
          <Typography.Title level={5} className="drawer-section">
            {t('regions.history')}
          </Typography.Title>
          {d.history.length === 0 ? (
            <Typography.Text type="secondary">{t('regions.noHistory')}</Typography.Text>
          ) : (
            <Timeline
              items={d.history.map((h, i) => ({
                key: i,
                title: `${formatDate(h.validFrom)} ~ ${formatDate(h.validTo)}`,
                content: (
                  <span>
                    <Tag>{tx(`regions.change.${h.change}`, h.change)}</Tag>
                    {h.name}
                    {h.parentCode ? <span className="muted-mono"> ← {h.parentCode}</span> : null}
                  </span>
                ),
              }))}
            />
          )}
        </>
      ) : null}
    </Drawer>
  );
}

export default function RegionsPage() {
  const { t } = useI18n();
  const [selected, setSelected] = useState<Region | null>(null);
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<RegionLevel | undefined>(undefined);
  const [detailCode, setDetailCode] = useState<string | null>(null);

  const searching = q !== '' || level !== undefined;
  const query = searching ? { q: q || undefined, level } : selected ? { parent: selected.code } : {};
  const list = useCursorList<Region>(JSON.stringify(query), (cursor, signal) => api.regions({ ...query, cursor, limit: PAGE_SIZE }, signal));

  const columns: TableColumnsType<Region> = [
    {
      title: t('regions.code'),
      dataIndex: 'code',
      key: 'code',
      width: 130,
      render: (code: string) => (
        <Button type="link" size="small" className="mono link-cell" onClick={() => setDetailCode(code)}>
          {code}
        </Button>
      ),
    },
    { title: t('regions.name'), dataIndex: 'name', key: 'name', width: 170 },
    {
      title: t('regions.level'),
      dataIndex: 'level',
      key: 'level',
      width: 80,
      render: (lv: number) => <Tag color={LEVEL_COLORS[lv]}>{t(levelKey(lv))}</Tag>,
    },
    { title: t('regions.parent'), dataIndex: 'parentCode', key: 'parentCode', width: 130, className: 'mono', render: (v: string | null) => v ?? '—' },
    { title: t('regions.validFrom'), dataIndex: 'validFrom', key: 'validFrom', width: 105, render: (v: string) => formatDate(v) },
    { title: t('regions.validTo'), dataIndex: 'validTo', key: 'validTo', width: 105, render: (v: string | null) => formatDate(v) },
    {
      title: t('regions.status'),
      key: 'status',
      width: 170,
      render: (_: unknown, r: Region) =>
        r.validTo ? (
          <Tag color="default">
            {t('common.retired')}
            {r.successorCode ? ` → ${r.successorCode}` : ''}
          </Tag>
        ) : (
          <Tag color="success">{t('common.current')}</Tag>
        ),
    },
  ];

  const tableTitle = searching
    ? t('regions.searchResult', { q: [q, level ? t(levelKey(level)) : ''].filter(Boolean).join(' · ') })
    : selected
      ? t('regions.children', { name: selected.name })
      : t('regions.all');

  return (
    <div className="page">
      <PageHeader title={t('regions.title')} />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={8} xl={6}>
          <RegionTreePanel
            selected={selected}
            onSelect={(r) => {
              setSelected(r);
              setInput('');
              setQ('');
              setLevel(undefined);
            }}
          />
        </Col>
        <Col xs={24} lg={16} xl={18}>
          <Card
            size="small"
            className="page-card"
            title={tableTitle}
            extra={
              <Space wrap>
                <Select<RegionLevel>
                  allowClear
                  style={{ width: 120 }}
                  placeholder={t('regions.levelFilter')}
                  value={level}
                  onChange={(v) => setLevel(v ?? undefined)}
                  options={([1, 2, 3, 4] as const).map((lv) => ({ value: lv, label: t(levelKey(lv)) }))}
                />
                <Input.Search
                  allowClear
                  style={{ width: 260 }}
                  placeholder={t('regions.searchPlaceholder')}
                  value={input}
                  onChange={(e) => setInput(e.target.value)}
                  onSearch={(v) => setQ(v.trim())}
                  enterButton={t('common.search')}
                />
              </Space>
            }
          >
            <ErrorAlert error={list.error} onRetry={list.reload} />
            <Table<Region>
              size="small"
              rowKey="code"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 900 }}
              rowClassName={(r) => (r.validTo ? 'row-retired' : '')}
            />
            <CursorPager list={list} />
          </Card>
        </Col>
      </Row>
      <RegionDrawer code={detailCode} onClose={() => setDetailCode(null)} />
    </div>
  );
}
