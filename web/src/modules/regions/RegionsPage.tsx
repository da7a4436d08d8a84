// /regions — lazily loaded region tree, a searchable region table and a detail drawer with history; effective-dated
// rename, merge and retirement for holders of regions.manage.
import { useCallback, useEffect, useMemo, useRef, useState, type Key } from 'react';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Drawer, Dropdown, Empty, Form, Input, Row, Select, Space, Spin, Tag, Timeline, Tree, Typography } from 'antd';
import type { FormRule, MenuProps, TreeDataNode } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { rowCan } from '../../abilities.ts';
import { api, isAbortError, type Region, type RegionDetail, type RegionLevel } from '../../api/index.ts';
import { currentNameSince as nameSince } from '../../../../src/modules/regions/effective.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { checkRule, FormModal, requiredRule } from '../../components/FormModal.tsx';
import { fetchAllRegions, fetchRegionRoots, sortRegions } from '../../components/regionData.ts';
import { useAuth, useI18n, type Translate } from '../../context.tsx';
import { formatDate, levelKey, LEVEL_COLORS } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { checkEffectiveDate, checkPlainText, todayInChina } from '../../validation.ts';

const PAGE_SIZE = 20;

function RegionTreePanel({
  selected,
  onSelect,
  refreshKey,
}: {
  selected: Region | null;
  onSelect: (region: Region | null) => void;
  /** Bumped after a change: the roots and every loaded level are fetched again. */
  refreshKey: number;
}) {
  const { t } = useI18n();
  const [roots, setRoots] = useState<Region[] | null>(null);
  const [children, setChildren] = useState<Record<string, Region[]>>({});
  const [error, setError] = useState<unknown>(null);
  const [expanded, setExpanded] = useState<Key[]>([]);
  const loaded = useRef<string[]>([]);
  useEffect(() => {
    loaded.current = Object.keys(children);
  });

  useEffect(() => {
    if (refreshKey === 0) return;
    const controller = new AbortController();
    const codes = loaded.current;
    Promise.all([fetchRegionRoots(controller.signal), ...codes.map((code) => fetchAllRegions({ parent: code }, controller.signal))])
      .then(([r, ...lists]) => {
        setRoots(r ?? []);
        setChildren(Object.fromEntries(codes.map((code, i) => [code, sortRegions(lists[i] ?? [])])));
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(err);
      });
    return () => controller.abort();
  }, [refreshKey]);

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

type RegionAction = 'rename' | 'merge' | 'retire';

function RegionDrawer({
  code,
  onClose,
  version,
  onAction,
}: {
  code: string | null;
  onClose: () => void;
  /** Bumped after a change so the drawer shows the new state and history. */
  version: number;
  /** Set when the user may change regions. */
  onAction?: (action: RegionAction, region: RegionDetail) => void;
}) {
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
  }, [code, version]);

  const d = detail.data;
  return (
    <Drawer
      open={code !== null}
      onClose={onClose}
      title={d ? `${d.name} · ${d.code}` : code}
      size={560}
      destroyOnHidden
      extra={
        d && onAction && d.abilities.length > 0 ? (
          <Space size={4} data-testid="region-drawer-actions">
            {rowCan(d, 'rename') ? (
              <Button size="small" onClick={() => onAction('rename', d)}>
                {t('regions.rename')}
              </Button>
            ) : null}
            {rowCan(d, 'merge') ? (
              <Button size="small" onClick={() => onAction('merge', d)}>
                {t('regions.merge')}
              </Button>
            ) : null}
            {rowCan(d, 'retire') ? (
              <Button size="small" danger onClick={() => onAction('retire', d)}>
                {t('regions.retire')}
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
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

// ---------------------------------------------------------------------------------------------
// 更名 / 合并 / 撤销

/** The day the region's current name took effect: the server's own rule (src/modules/regions/effective.ts). */
const currentNameSince = (region: RegionDetail): string => nameSince(region, region.history);

function effectiveDateRule(t: Translate, earliest: string): FormRule {
  return {
    validator: (_rule, value: Dayjs | null | undefined) => {
      if (!value) return Promise.reject(new Error(t('validation.required')));
      const failure = checkEffectiveDate(value.format('YYYY-MM-DD'), earliest);
      return failure ? Promise.reject(new Error(t(failure.key, failure.params))) : Promise.resolve();
    },
  };
}

/** Current regions of the same level to merge into: siblings first, any of that level when searching. */
function PeerRegionSelect({ region, value, onChange, id }: { region: Region; value?: string; onChange?: (code: string | undefined) => void; id?: string }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Region[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setLoading(true);
      const query = search ? { q: search, level: region.level, limit: 50 } : region.parentCode ? { parent: region.parentCode, limit: 200 } : { level: region.level, limit: 50 };
      api
        .regions(query, controller.signal)
        .then((page) => setOptions(page.items.filter((r) => r.code !== region.code && r.level === region.level && r.validTo === null)))
        .catch((err: unknown) => {
          if (!isAbortError(err)) setOptions([]);
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [search, region.code, region.level, region.parentCode]);

  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={loading}
      placeholder={t('regions.mergeIntoPick')}
      notFoundContent={loading ? t('app.loading') : t('common.empty')}
      options={options.map((r) => ({ value: r.code, label: `${r.name} · ${r.code}` }))}
    />
  );
}

interface RegionActionValues {
  name?: string;
  into?: string;
  effectiveDate: Dayjs;
}

function RegionActionModal({
  action,
  region,
  onCancel,
  onDone,
}: {
  action: RegionAction;
  region: Region | RegionDetail;
  onCancel: () => void;
  onDone: (detail: RegionDetail) => void;
}) {
  const { t } = useI18n();
  const known = 'history' in region ? currentNameSince(region) : null;
  const [fetched, setFetched] = useState<string | null>(null);
  const since = known ?? fetched ?? region.validFrom;

  useEffect(() => {
    if (known !== null) return;
    const controller = new AbortController();
    api
      .region(region.code, controller.signal)
      .then((d) => setFetched(currentNameSince(d)))
      .catch(() => undefined);
    return () => controller.abort();
  }, [known, region.code]);

  const today = todayInChina();
  const submit = (v: RegionActionValues): Promise<RegionDetail> => {
    const effectiveDate = v.effectiveDate.format('YYYY-MM-DD');
    if (action === 'rename') return api.renameRegion(region.code, { name: (v.name ?? '').trim(), effectiveDate });
    if (action === 'merge') return api.mergeRegion(region.code, { into: v.into ?? '', effectiveDate });
    return api.retireRegion(region.code, { effectiveDate });
  };

  const titles: Record<RegionAction, string> = {
    rename: t('regions.renameTitle', { name: region.name, code: region.code }),
    merge: t('regions.mergeTitle', { name: region.name, code: region.code }),
    retire: t('regions.retireTitle', { name: region.name, code: region.code }),
  };
  const intros: Record<RegionAction, string> = {
    rename: t('regions.renameHint'),
    merge: t('regions.mergeHint'),
    retire: t('regions.retireHint'),
  };

  return (
    <FormModal<RegionActionValues, RegionDetail>
      testId={`region-${action}-form`}
      title={titles[action]}
      okText={action === 'rename' ? t('regions.rename') : action === 'merge' ? t('regions.merge') : t('regions.retire')}
      danger={action !== 'rename'}
      initialValues={{ name: action === 'rename' ? region.name : undefined, effectiveDate: dayjs(today) }}
      onSubmit={submit}
      onDone={onDone}
      onCancel={onCancel}
      successMessage={(d) =>
        action === 'rename'
          ? t('regions.renamed', { name: d.name })
          : action === 'merge'
            ? t('regions.merged', { name: region.name, into: d.successorCode ?? '' })
            : t('regions.retired', { name: region.name })
      }
      intro={<Alert type={action === 'rename' ? 'info' : 'warning'} showIcon className="modal-intro" title={intros[action]} />}
    >
      {action === 'rename' ? (
        <Form.Item
          name="name"
          label={t('regions.newName')}
          required
          rules={[
            checkRule(t, (v) => checkPlainText(v, 100) ?? (v === region.name ? { key: 'validation.nameUnchanged' } : null), { required: true }),
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
      ) : null}
      {action === 'merge' ? (
        <Form.Item name="into" label={t('regions.mergeInto')} rules={[requiredRule(t)]} extra={t('regions.mergeIntoHint', { level: t(levelKey(region.level)) })}>
          <PeerRegionSelect region={region} />
        </Form.Item>
      ) : null}
      <Form.Item
        name="effectiveDate"
        label={t('regions.effectiveDate')}
        required
        rules={[effectiveDateRule(t, since)]}
        extra={t('regions.effectiveDateHint', { since, today })}
      >
        <DatePicker
          style={{ width: '100%' }}
          disabledDate={(d) => {
            const day = d.format('YYYY-MM-DD');
            return day > today || day < since;
          }}
        />
      </Form.Item>
    </FormModal>
  );
}

export default function RegionsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const canManage = can('regions.manage');
  const [action, setAction] = useState<{ action: RegionAction; region: Region | RegionDetail } | null>(null);
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Region | null>(null);
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<RegionLevel | undefined>(undefined);
  const [detailCode, setDetailCode] = useState<string | null>(null);

  const searching = q !== '' || level !== undefined;
  const query = searching ? { q: q || undefined, level } : selected ? { parent: selected.code } : {};
  const fetchPage: PageFetcher<Region> = (cursor, signal, limit) => api.regions({ ...query, cursor, limit }, signal);
  const list = useCursorList<Region>(JSON.stringify(query), fetchPage, { pageSize: PAGE_SIZE, choosePageSize: true });

  const status = (r: Region) => (r.validTo ? `${t('common.retired')}${r.successorCode ? ` → ${r.successorCode}` : ''}` : t('common.current'));
  const columns: ListColumn<Region>[] = [
    {
      key: 'code',
      title: t('regions.code'),
      dataIndex: 'code',
      width: 130,
      required: true,
      sort: (r) => r.code,
      render: (r) => (
        <Button type="link" size="small" className="mono link-cell" onClick={() => setDetailCode(r.code)}>
          {r.code}
        </Button>
      ),
    },
    { key: 'name', title: t('regions.name'), dataIndex: 'name', width: 170, sort: (r) => r.name },
    {
      key: 'level',
      title: t('regions.level'),
      dataIndex: 'level',
      width: 80,
      sort: (r) => r.level,
      render: (r) => <Tag color={LEVEL_COLORS[r.level]}>{t(levelKey(r.level))}</Tag>,
      exportValue: (r) => t(levelKey(r.level)),
    },
    { key: 'parentCode', title: t('regions.parent'), dataIndex: 'parentCode', width: 130, className: 'mono', sort: (r) => r.parentCode },
    { key: 'validFrom', title: t('regions.validFrom'), dataIndex: 'validFrom', width: 105, sort: (r) => r.validFrom, render: (r) => formatDate(r.validFrom) },
    { key: 'validTo', title: t('regions.validTo'), dataIndex: 'validTo', width: 105, sort: (r) => r.validTo, render: (r) => formatDate(r.validTo) },
    {
      key: 'status',
      title: t('regions.status'),
      width: 170,
      sort: status,
      exportValue: status,
      render: (r) => <Tag color={r.validTo ? 'default' : 'success'}>{status(r)}</Tag>,
    },
  ];

  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) => {
        const items: MenuProps['items'] = [
          ...(rowCan(r, 'rename') ? [{ key: 'rename', label: t('regions.rename') }] : []),
          ...(rowCan(r, 'merge') ? [{ key: 'merge', label: t('regions.merge') }] : []),
          ...(rowCan(r, 'retire') ? [{ key: 'retire', label: t('regions.retire'), danger: true }] : []),
        ];
        if (items.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Dropdown menu={{ items, onClick: ({ key }) => setAction({ action: key as RegionAction, region: r }) }} trigger={['click']} placement="bottomRight">
            <Button type="link" size="small" data-testid={`region-actions-${r.code}`}>
              {t('common.change')} <DownOutlined />
            </Button>
          </Dropdown>
        );
      },
    });
  }

  const onChanged = (detail: RegionDetail) => {
    setAction(null);
    setVersion((v) => v + 1);
    if (selected?.code === detail.code) setSelected(detail);
    list.reload();
  };

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
            refreshKey={version}
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
          <ListPage<Region>
            id="region"
            list={list}
            fetchPage={fetchPage}
            columns={columns}
            rowKey="code"
            scrollX={canManage ? 990 : 900}
            rowClassName={(r) => (r.validTo ? 'row-retired' : '')}
            filters={
              <>
                <span className="list-title">{tableTitle}</span>
                <Select<RegionLevel>
                  allowClear
                  style={{ width: 120 }}
                  placeholder={t('regions.levelFilter')}
                  value={level}
                  onChange={(v) => setLevel(v ?? undefined)}
                  options={([1, 2, 3, 4] as const).map((lv) => ({ value: lv, label: t(levelKey(lv)) }))}
                />
                <ListSearch value={input} onChange={setInput} onSearch={setQ} placeholder={t('regions.searchPlaceholder')} width={260} />
              </>
            }
          />
        </Col>
      </Row>
      <RegionDrawer
        code={detailCode}
        onClose={() => setDetailCode(null)}
        version={version}
        onAction={canManage ? (a, region) => setAction({ action: a, region }) : undefined}
      />
      {action ? <RegionActionModal action={action.action} region={action.region} onCancel={() => setAction(null)} onDone={onChanged} /> : null}
    </div>
  );
}
