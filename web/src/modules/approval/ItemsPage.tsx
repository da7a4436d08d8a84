// /approval/items — 事项目录: search by name or code with facets (department, kind, online), limits in working days.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { approvalApi, type ItemList, type ItemQuery, type ItemSummary } from './api.ts';
import { ItemEditor, itemApi } from './ItemEditor.tsx';
import type { zh } from './messages.ts';

type Key = keyof typeof zh;
const PAGE = 20;

export default function ItemsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [query, setQuery] = useState<ItemQuery>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ItemList | null>(null);
  // 事项 editing for holders of approval.items.manage (the server still checks the department's scope)
  const manage = useAuth().can('approval.items.manage');
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const [tick, setTick] = useState(0);
  const retire = async (r: ItemSummary) => {
    try {
      await itemApi.retire(r.id, r.version);
      void message.success(t('approval.editor.retired'));
      setTick((n) => n + 1);
    } catch (err) {
      void message.error(problem(err));
    }
  };
  useEffect(() => {
    const controller = new AbortController();
    approvalApi
      .items({ ...query, offset: (page - 1) * PAGE, limit: PAGE }, controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) void message.error(problem(err));
      });
    return () => controller.abort();
  }, [query, page, message, problem, tick]);
  const set = (patch: Partial<ItemQuery>) => (setQuery((q) => ({ ...q, ...patch })), setPage(1));
  return (
    <div className="page">
      <PageHeader
        title={t('approval.items.title')}
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null })} data-testid="item-new">
              {t('approval.editor.new')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('approval.search')} onSearch={(q) => set({ q: q || undefined })} style={{ width: 260 }} data-testid="approval-item-search" />
        <Select allowClear placeholder={t('approval.department')} style={{ width: 220 }} onChange={(v?: string) => set({ departmentId: v })} options={data?.facets.department.map((f) => ({ value: f.value, label: `${f.label}（${f.count}）` }))} />
        <Select allowClear placeholder={t('approval.kind')} style={{ width: 160 }} onChange={(v?: ItemQuery['kind']) => set({ kind: v })} options={data?.facets.kind.map((f) => ({ value: f.value, label: `${t(`approval.kind.${f.value}` as Key)}（${f.count}）` }))} />
      </Space>
      <Table<ItemSummary>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'code', title: t('approval.code'), width: 130, render: (_, r) => r.code },
          { key: 'name', title: t('approval.item'), width: 260, render: (_, r) => r.name },
          { key: 'department', title: t('approval.department'), width: 200, render: (_, r) => r.department.name },
          { key: 'kind', title: t('approval.kind'), width: 100, render: (_, r) => t(`approval.kind.${r.kind}` as Key) },
          { key: 'statutory', title: t('approval.statutory'), width: 120, render: (_, r) => t('approval.days.unit', { n: r.statutoryDays }) },
          { key: 'promised', title: t('approval.promised'), width: 120, render: (_, r) => t('approval.days.unit', { n: r.promisedDays }) },
          { key: 'online', title: t('approval.online'), width: 90, render: (_, r) => (r.online ? <Tag color="green">✓</Tag> : '—') },
          ...(manage
            ? [
                {
                  key: 'actions',
                  title: t('approval.editor.actions'),
                  width: 140,
                  render: (_: unknown, r: ItemSummary) =>
                    r.status === 'retired' ? (
                      <Tag>{t('approval.editor.status.retired')}</Tag>
                    ) : (
                      <Space size={4}>
                        <Button type="link" size="small" onClick={() => setEditing({ id: r.id })} data-testid="item-edit">
                          {t('approval.editor.editShort')}
                        </Button>
                        <Popconfirm title={t('approval.editor.retireConfirm')} onConfirm={() => retire(r)}>
                          <Button type="link" size="small" danger data-testid="item-retire">
                            {t('approval.retire')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <ItemEditor open={editing !== null} itemId={editing?.id ?? null} onClose={() => setEditing(null)} onSaved={() => (setEditing(null), setTick((n) => n + 1))} />
    </div>
  );
}
