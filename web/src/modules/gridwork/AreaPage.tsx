// /gridwork/area — 我的网格: my grids (or the whole community) with counts, and tabs of residents (masked),
// buildings and households.
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Input, Row, Statistic, Tabs, Tag } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { gridworkApi, type Area, type AreaBuilding, type AreaHousehold, type AreaResident } from './api.ts';

function Residents() {
  const { t, tx } = useI18n();
  const [q, setQ] = useState('');
  const fetchPage: PageFetcher<AreaResident> = (cursor, signal, limit) => gridworkApi.residents(q, cursor, limit, signal);
  const list = useCursorList<AreaResident>(`residents:${q}`, fetchPage, { choosePageSize: true });
  const columns: ListColumn<AreaResident>[] = [
    { key: 'name', title: t('gridwork.name'), dataIndex: 'name', width: 110, required: true },
    { key: 'sex', title: t('gridwork.sex'), width: 60, render: (r) => tx(`gridwork.sex.${r.sex}`, r.sex), exportValue: (r) => r.sex },
    { key: 'birthDate', title: t('gridwork.birthDate'), dataIndex: 'birthDate', width: 110 },
    { key: 'idNumber', title: t('gridwork.idNumber'), dataIndex: 'idNumber', width: 190, className: 'mono' },
    { key: 'phone', title: t('gridwork.phone'), dataIndex: 'phone', width: 130, className: 'mono' },
    { key: 'labels', title: t('gridwork.labels'), width: 160, render: (r) => r.labels.map((l) => <Tag key={l}>{tx(`gridwork.label.${l}`, l)}</Tag>), exportValue: (r) => r.labels.join(' ') },
    { key: 'grid', title: t('gridwork.grid'), dataIndex: 'gridName', width: 120 },
    { key: 'address', title: t('gridwork.address'), dataIndex: 'address', width: 200, ellipsis: true },
  ];
  return (
    <ListPage<AreaResident>
      id="gridwork-resident"
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="id"
      scrollX={1100}
      phoneLead={{ key: 'name', width: 150, primary: (r) => r.name, secondary: (r) => r.idNumber, folds: ['idNumber'] }}
      filters={<Input.Search allowClear placeholder={t('gridwork.search')} onSearch={setQ} style={{ maxWidth: 260 }} data-testid="gridwork-resident-search" />}
    />
  );
}

function Buildings() {
  const { t } = useI18n();
  const fetchPage: PageFetcher<AreaBuilding> = (cursor, signal, limit) => gridworkApi.buildings(cursor, limit, signal);
  const list = useCursorList<AreaBuilding>('buildings', fetchPage);
  const columns: ListColumn<AreaBuilding>[] = [
    { key: 'name', title: t('gridwork.building'), dataIndex: 'name', width: 140, required: true },
    { key: 'address', title: t('gridwork.address'), dataIndex: 'address', width: 220, ellipsis: true },
    { key: 'floors', title: t('gridwork.floors'), dataIndex: 'floors', width: 80 },
    { key: 'households', title: t('gridwork.householdCount'), dataIndex: 'households', width: 80 },
    { key: 'grid', title: t('gridwork.grid'), dataIndex: 'gridName', width: 120 },
  ];
  return <ListPage<AreaBuilding> id="gridwork-building" list={list} fetchPage={fetchPage} columns={columns} rowKey="id" scrollX={700} />;
}

function Households() {
  const { t } = useI18n();
  const fetchPage: PageFetcher<AreaHousehold> = (cursor, signal, limit) => gridworkApi.households(cursor, limit, signal);
  const list = useCursorList<AreaHousehold>('households', fetchPage);
  const columns: ListColumn<AreaHousehold>[] = [
    { key: 'householdNo', title: t('gridwork.householdNo'), dataIndex: 'householdNo', width: 150, className: 'mono', required: true },
    { key: 'head', title: t('gridwork.head'), dataIndex: 'headName', width: 100 },
    { key: 'members', title: t('gridwork.members'), dataIndex: 'memberCount', width: 70 },
    { key: 'building', title: t('gridwork.building'), dataIndex: 'buildingName', width: 120 },
    { key: 'address', title: t('gridwork.address'), dataIndex: 'address', width: 220, ellipsis: true },
    { key: 'grid', title: t('gridwork.grid'), dataIndex: 'gridName', width: 120 },
  ];
  return <ListPage<AreaHousehold> id="gridwork-household" list={list} fetchPage={fetchPage} columns={columns} rowKey="id" scrollX={800} />;
}

export default function AreaPage() {
  const { t } = useI18n();
  const [area, setArea] = useState<Area | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    gridworkApi
      .area(ac.signal)
      .then(setArea)
      .catch(() => undefined);
    return () => ac.abort();
  }, []);
  const title = area && area.grids.length > 0 ? area.grids.map((g) => g.name).join('、') : area?.communities.map((c) => c.name).slice(0, 3).join('、');
  return (
    <div className="page">
      <PageHeader title={title ? `${t('gridwork.area.title')} · ${title}` : t('gridwork.area.title')} />
      {area?.wholeCommunity && area.grids.length === 0 && <Alert type="info" showIcon message={t('gridwork.area.whole')} style={{ marginBottom: 12 }} />}
      {area && (
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          {(
            [
              ['gridwork.area.residents', area.counts.residents],
              ['gridwork.area.households', area.counts.households],
              ['gridwork.area.buildings', area.counts.buildings],
              ['gridwork.area.due', area.counts.dueVisits],
            ] as const
          ).map(([label, value]) => (
            <Col xs={12} md={6} key={label}>
              <Card size="small">
                <Statistic title={t(label)} value={value} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Tabs
        destroyOnHidden
        items={[
          { key: 'residents', label: t('gridwork.area.residents'), children: <Residents /> },
          { key: 'buildings', label: t('gridwork.area.buildings'), children: <Buildings /> },
          { key: 'households', label: t('gridwork.area.households'), children: <Households /> },
        ]}
      />
    </div>
  );
}
