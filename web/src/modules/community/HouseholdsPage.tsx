// /community/households — 户: households in the jurisdiction (filter by community); a row opens its members with their
// relation to the head, where a manager adds a resident of the community (one head at most) or removes one.
import { useState } from 'react';
import { App as AntApp, Button, Drawer, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { useAuth } from '../../context.tsx';
import { communityApi, residentPath, type Household, type HouseholdRow } from './api.ts';
import { AddMemberForm, NewHouseholdButton } from './HouseholdForms.tsx';

export default function HouseholdsPage() {
  const { t, problem } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const manage = can('community.manage');
  const [community, setCommunity] = useState<string | undefined>();
  const [open, setOpen] = useState<Household | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fetchPage: PageFetcher<HouseholdRow> = (cursor, signal, limit) => communityApi.households({ ...(community ? { community } : {}), ...(cursor ? { cursor } : {}), limit }, signal);
  const list = useCursorList<HouseholdRow>(community ?? '', fetchPage);

  const show = async (id: string) => {
    try {
      setError(null);
      setOpen(await communityApi.household(id));
    } catch (err) {
      setError(err);
    }
  };

  const remove = async (residentId: string) => {
    if (!open) return;
    try {
      setOpen(await communityApi.removeMember(open.id, residentId));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  const columns: ListColumn<HouseholdRow>[] = [
    {
      key: 'no',
      title: t('cm.householdNo'),
      width: 200,
      required: true,
      render: (h) => (
        <Button type="link" size="small" className="mono" onClick={() => void show(h.id)}>
          {h.householdNo}
        </Button>
      ),
      exportValue: (h) => h.householdNo,
    },
    { key: 'address', title: t('cm.address'), dataIndex: 'address', ellipsis: true },
    { key: 'members', title: t('cm.memberCount'), dataIndex: 'memberCount', width: 80, sort: (h) => h.memberCount },
  ];

  return (
    <div className="page" data-testid="community-households-page">
      <PageHeader title={t('cm.households.title')} extra={manage ? <NewHouseholdButton community={community} onCreated={(h) => (setOpen(h), list.reload())} /> : null} />
      {error ? <ErrorAlert error={error} /> : null}
      <ListPage<HouseholdRow>
        id="community-household"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        filters={<RegionTreeSelect placeholder={t('cm.community')} value={community} onChange={setCommunity} />}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} title={open ? `${t('cm.householdNo')} ${open.householdNo}` : ''} width="min(480px, 100vw)">
        {open ? (
          <>
            <Typography.Paragraph type="secondary">{open.address}</Typography.Paragraph>
            <List
              data-testid="community-household-members"
              dataSource={open.members}
              renderItem={(m) => (
                <List.Item
                  actions={
                    manage
                      ? [
                          <Popconfirm key="remove" title={t('cm.removeConfirm', { name: m.name })} onConfirm={() => void remove(m.residentId)}>
                            <Button size="small" type="link" danger>
                              {t('cm.removeMember')}
                            </Button>
                          </Popconfirm>,
                        ]
                      : []
                  }
                >
                  <Space wrap>
                    <Link to={residentPath(m.residentId)}>{m.name}</Link>
                    <Tag color={m.relation === 'head' ? 'blue' : undefined}>{m.relation ? t(`cm.relation.${m.relation}`) : '—'}</Tag>
                    <span>
                      {t(`cm.sex.${m.sex}`)} · {m.age}
                    </span>
                  </Space>
                </List.Item>
              )}
            />
            {manage ? <AddMemberForm household={open} onAdded={(h) => (setOpen(h), list.reload())} /> : null}
          </>
        ) : null}
      </Drawer>
    </div>
  );
}
