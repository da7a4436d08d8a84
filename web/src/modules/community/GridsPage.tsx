// /community/grids — 网格: the grids of the jurisdiction with their workers and resident counts; create and rename.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Col, Form, Input, Modal, Row, Space, Statistic, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { PageHeader } from '../../Layout.tsx';
import { communityApi, type Grid } from './api.ts';

export default function GridsPage() {
  const { t, problem } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [community, setCommunity] = useState<string | undefined>();
  const [grids, setGrids] = useState<Grid[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Grid | 'new' | null>(null);
  const [form] = Form.useForm<{ name: string; communityCode?: string }>();
  const manage = can('community.manage');

  const load = useCallback(
    (signal?: AbortSignal) =>
      communityApi.grids(community, signal).then(
        (r) => {
          setGrids(r.items);
          setError(null);
        },
        (err: unknown) => setError(err),
      ),
    [community],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') await communityApi.createGrid({ communityCode: v.communityCode ?? '', name: v.name.trim() });
      else if (editing) await communityApi.renameGrid(editing.id, v.name.trim());
      void message.success(t('cm.saved'));
      setEditing(null);
      void load();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  return (
    <div className="page" data-testid="community-grids-page">
      <PageHeader
        title={t('cm.grids.title')}
        extra={
          <Space wrap>
            <RegionTreeSelect placeholder={t('cm.community')} value={community} onChange={setCommunity} />
            {manage ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue({ communityCode: community });
                  setEditing('new');
                }}
              >
                {t('cm.newGrid')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {error ? <ErrorAlert error={error} /> : null}
      <Row gutter={[12, 12]}>
        {grids.map((g) => (
          <Col key={g.id} xs={24} sm={12} lg={8} xl={6}>
            <Card
              size="small"
              title={g.name}
              extra={
                manage ? (
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('cm.rename')}
                    onClick={() => {
                      form.setFieldsValue({ name: g.name });
                      setEditing(g);
                    }}
                  />
                ) : null
              }
              data-testid="grid-card"
            >
              <div>{g.communityName}</div>
              <Statistic title={t('cm.residents')} value={g.residents} />
              <div>
                {t('cm.workers')}：{g.workers.length === 0 ? '—' : g.workers.map((w) => <Tag key={w.userId}>{w.displayName}</Tag>)}
              </div>
            </Card>
          </Col>
        ))}
      </Row>
      <Modal open={editing !== null} title={editing === 'new' ? t('cm.newGrid') : t('cm.rename')} onOk={() => void save()} onCancel={() => setEditing(null)} destroyOnHidden>
        <Form form={form} layout="vertical">
          {editing === 'new' ? (
            <Form.Item name="communityCode" label={t('cm.community')} rules={[{ required: true, message: t('cm.pickCommunity') }]}>
              <RegionTreeSelect width="100%" />
            </Form.Item>
          ) : null}
          <Form.Item name="name" label={t('cm.gridName')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
