// /data-demands — 需求清单: data departments need that nobody catalogues yet. Anyone registers one for their
// department; a catalogue manager matches it to a resource or closes it (as the row's abilities allow).
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Select, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { catalogueApi, resourcePath, type Demand, type DemandQuery, type NewDemand } from './api.ts';
import './catalogue.css';

const COLORS: Record<Demand['status'], string> = { open: 'processing', matched: 'success', closed: 'default' };

export default function DemandsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<DemandQuery['status']>('open');
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<{ demand: Demand; action: 'match' | 'close' } | null>(null);
  const [form] = Form.useForm<Omit<NewDemand, 'items'> & { items?: string }>();
  const [decision] = Form.useForm<{ resource?: string; note?: string }>();

  const fetchPage: PageFetcher<Demand> = (cursor, signal, limit) => catalogueApi.demands({ ...(status ? { status } : {}), ...(cursor ? { cursor } : {}), limit }, signal);
  const list = useCursorList<Demand>(String(status), fetchPage);

  const register = async () => {
    const values = await form.validateFields();
    try {
      await catalogueApi.createDemand({ ...values, items: (values.items ?? '').split(/[,，、]+/).map((s) => s.trim()).filter(Boolean) });
      void message.success(t('dem.saved'));
      setCreating(false);
      form.resetFields();
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };
  const decide = async () => {
    if (!deciding) return;
    const values = await decision.validateFields();
    try {
      await catalogueApi.decideDemand(deciding.demand.id, deciding.action === 'match' ? { action: 'match', resource: values.resource ?? '', note: values.note } : { action: 'close', note: values.note ?? '' });
      void message.success(t('dem.decided'));
      setDeciding(null);
      decision.resetFields();
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  const columns: ListColumn<Demand>[] = [
    { key: 'title', title: t('dem.titleField'), dataIndex: 'title', width: 220, required: true },
    { key: 'department', title: t('dem.department'), width: 180, render: (d) => d.department.name, exportValue: (d) => d.department.name },
    { key: 'items', title: t('dem.items'), width: 200, render: (d) => d.items.join('、') || '—', exportValue: (d) => d.items.join(' ') },
    { key: 'purpose', title: t('dem.purpose'), dataIndex: 'purpose', ellipsis: true },
    { key: 'suggested', title: t('dem.suggested'), width: 180, render: (d) => d.suggestedProvider?.name ?? '—', exportValue: (d) => d.suggestedProvider?.name ?? '' },
    { key: 'status', title: t('dem.status'), width: 90, render: (d) => <Tag color={COLORS[d.status]}>{t(`dem.status.${d.status}`)}</Tag>, exportValue: (d) => d.status },
    { key: 'resource', title: t('dem.resource'), width: 180, render: (d) => (d.resource ? <Link to={resourcePath(d.resource.code)}>{d.resource.name}</Link> : (d.decisionNote ?? '—')), exportValue: (d) => d.resource?.code ?? '' },
    { key: 'createdAt', title: t('dem.createdAt'), width: 150, render: (d) => formatDateTime(d.createdAt), exportValue: (d) => d.createdAt },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 140,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (d) => (
        <>
          {rowCan(d, 'match') ? (
            <Button type="link" size="small" onClick={() => setDeciding({ demand: d, action: 'match' })}>
              {t('dem.match')}
            </Button>
          ) : null}
          {rowCan(d, 'close') ? (
            <Button type="link" size="small" danger onClick={() => setDeciding({ demand: d, action: 'close' })}>
              {t('dem.close')}
            </Button>
          ) : null}
        </>
      ),
    },
  ];

  return (
    <div className="page" data-testid="demands-page">
      <PageHeader
        title={t('dem.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('dem.new')}
          </Button>
        }
      />
      <ListPage<Demand>
        id="demand"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1300}
        filters={
          <Select<string>
            style={{ width: 140 }}
            value={status ?? 'all'}
            onChange={(v) => setStatus(v === 'all' ? undefined : (v as DemandQuery['status']))}
            options={[{ value: 'all', label: t('dem.all') }, ...(['open', 'matched', 'closed'] as const).map((s) => ({ value: s, label: t(`dem.status.${s}`) }))]}
          />
        }
      />
      <Modal open={creating} title={t('dem.new')} onOk={() => void register()} onCancel={() => setCreating(false)} okText={t('cat.save')} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="title" label={t('dem.titleField')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="purpose" label={t('dem.purpose')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="items" label={t('dem.items')} extra={t('dem.itemsHint')}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('dem.description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={deciding !== null} title={deciding ? t(deciding.action === 'match' ? 'dem.match' : 'dem.close') : ''} onOk={() => void decide()} onCancel={() => setDeciding(null)} okText={t('cat.save')} destroyOnHidden>
        <Form form={decision} layout="vertical">
          {deciding?.action === 'match' ? (
            <Form.Item name="resource" label={t('dem.matchCode')} rules={[{ required: true }]}>
              <Input className="mono" placeholder="650500-01/00001" />
            </Form.Item>
          ) : null}
          <Form.Item name="note" label={t('dem.note')} rules={[{ required: deciding?.action === 'close', whitespace: true }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
