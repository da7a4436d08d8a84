// /community/buildings — 楼栋: the buildings of the jurisdiction (filter by community), create and edit them; a row opens
// the building's residents by household.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Drawer, Form, Input, InputNumber, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { communityApi, residentPath, type Building, type BuildingDetail, type Grid } from './api.ts';

interface BuildingForm {
  communityCode?: string;
  name: string;
  address?: string;
  floors?: number | null;
  gridId?: string | null;
}

export default function BuildingsPage() {
  const { t, problem } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const manage = can('community.manage');
  const [community, setCommunity] = useState<string | undefined>();
  const [buildings, setBuildings] = useState<Building[]>([]);
  const [grids, setGrids] = useState<Grid[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Building | 'new' | null>(null);
  const [open, setOpen] = useState<BuildingDetail | null>(null);
  const [form] = Form.useForm<BuildingForm>();
  const formCommunity = Form.useWatch('communityCode', form);

  const load = useCallback(
    (signal?: AbortSignal) =>
      communityApi.buildings(community, signal).then(
        (r) => {
          setBuildings(r.items);
          setError(null);
        },
        (err: unknown) => setError(err),
      ),
    [community],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    void communityApi.grids(undefined, ctrl.signal).then((r) => setGrids(r.items), () => undefined);
    return () => ctrl.abort();
  }, [load]);

  const gridName = (id: string | null) => grids.find((g) => g.id === id)?.name ?? t('cm.noGrid');
  const edit = (b: Building | 'new') => {
    setEditing(b);
    form.setFieldsValue(b === 'new' ? { communityCode: community, name: '', address: '', floors: null, gridId: null } : { communityCode: b.communityCode, name: b.name, address: b.address, floors: b.floors, gridId: b.gridId });
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      const body = { name: v.name.trim(), address: v.address ?? '', floors: v.floors ?? null, gridId: v.gridId ?? null };
      if (editing === 'new') await communityApi.createBuilding({ ...body, communityCode: v.communityCode ?? '' });
      else if (editing) await communityApi.editBuilding(editing.id, body);
      void message.success(t('cm.saved'));
      setEditing(null);
      void load();
    } catch (err) {
      void message.error(problem(err));
    }
  };
  const show = async (id: string) => {
    try {
      setOpen(await communityApi.building(id));
    } catch (err) {
      setError(err);
    }
  };
  const editingCommunity = editing === 'new' ? formCommunity : editing?.communityCode;

  return (
    <div className="page" data-testid="community-buildings-page">
      <PageHeader
        title={t('cm.buildings.title')}
        extra={
          <Space wrap>
            <RegionTreeSelect placeholder={t('cm.community')} value={community} onChange={setCommunity} />
            {manage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => edit('new')} data-testid="community-building-new">
                {t('cm.newBuilding')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {error ? <ErrorAlert error={error} /> : null}
      <Table<Building>
        size="small"
        rowKey="id"
        dataSource={buildings}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
        onRow={(b) => ({ 'data-testid': 'community-building-row', onClick: () => void show(b.id) }) as React.HTMLAttributes<HTMLTableRowElement>}
        columns={[
          { key: 'name', title: t('cm.buildingName'), render: (_, b) => <Button type="link" size="small">{b.name}</Button> },
          { key: 'address', title: t('cm.address'), dataIndex: 'address', ellipsis: true },
          { key: 'floors', title: t('cm.floors'), dataIndex: 'floors', width: 70 },
          { key: 'grid', title: t('cm.grid'), width: 140, render: (_, b) => gridName(b.gridId) },
          ...(manage
            ? [{ key: 'edit', title: '', width: 60, render: (_: unknown, b: Building) => <Button size="small" icon={<EditOutlined />} aria-label={t('cm.edit')} onClick={(e) => (e.stopPropagation(), edit(b))} /> }]
            : []),
        ]}
      />
      <Modal open={editing !== null} title={editing === 'new' ? t('cm.newBuilding') : t('cm.edit')} onOk={() => void save()} onCancel={() => setEditing(null)} destroyOnHidden>
        <Form form={form} layout="vertical">
          {editing === 'new' ? (
            <Form.Item name="communityCode" label={t('cm.community')} rules={[{ required: true, message: t('cm.pickCommunity') }]}>
              <RegionTreeSelect placeholder={t('cm.community')} />
            </Form.Item>
          ) : null}
          <Form.Item name="name" label={t('cm.buildingName')} rules={[{ required: true, max: 100 }]}>
            <Input placeholder="3号楼" />
          </Form.Item>
          <Form.Item name="address" label={t('cm.address')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
          <Space wrap>
            <Form.Item name="floors" label={t('cm.floors')}>
              <InputNumber min={1} max={200} />
            </Form.Item>
            <Form.Item name="gridId" label={t('cm.grid')}>
              <Select allowClear style={{ width: 200 }} options={grids.filter((g) => g.communityCode === editingCommunity).map((g) => ({ value: g.id, label: g.name }))} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
      <Drawer open={open !== null} onClose={() => setOpen(null)} title={open ? `${open.name} · ${t('cm.buildingResidents')}` : ''} width="min(520px, 100vw)">
        {open ? (
          <>
            <Typography.Paragraph type="secondary">
              {open.address} {open.floors ? `· ${open.floors}${t('cm.floors')}` : ''} · {gridName(open.gridId)}
            </Typography.Paragraph>
            <List
              data-testid="community-building-residents"
              dataSource={open.residents}
              renderItem={(r) => (
                <List.Item>
                  <Link to={residentPath(r.id)}>{r.name}</Link>
                  <span>
                    {r.householdNo ? <Tag className="mono">{r.householdNo}</Tag> : null}
                    {r.relation ? <Tag>{t(`cm.relation.${r.relation}`)}</Tag> : null}
                    {t(`cm.sex.${r.sex}`)} · {r.age}
                  </span>
                </List.Item>
              )}
            />
          </>
        ) : null}
      </Drawer>
    </div>
  );
}
