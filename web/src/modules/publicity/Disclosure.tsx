// /public — 办件公示: concluded approvals (natural persons masked by the server), searchable, loaded page by page; the
// latest published department ranking; links to the penalties page and to the progress lookup. Works at 390 px.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Input, List, Table, Tabs, Tag, Typography } from 'antd';
import { isAbortError, isApiError } from '../../api/index.ts';
import { publicApi, type Disclosure, type ScreenSnapshot } from './api.ts';
import { usePublicText } from './messages.ts';

export default function DisclosurePage() {
  const t = usePublicText();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Disclosure[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [screen, setScreen] = useState<ScreenSnapshot | null>(null);

  const load = useCallback(async (query: string, cursor: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const page = await publicApi.approvals({ ...(query ? { q: query } : {}), ...(cursor ? { cursor } : {}), limit: 20 }, signal);
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (err) {
      if (!isAbortError(err)) setError(isApiError(err) ? (err.detail ?? err.title) : String(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(q, null, controller.signal);
    return () => controller.abort();
  }, [q, load]);

  useEffect(() => {
    const controller = new AbortController();
    publicApi.snapshot(controller.signal).then(setScreen, () => undefined);
    return () => controller.abort();
  }, []);

  const decision = (d: Disclosure['decision']) => (d ? <Tag color={d === 'approve' ? 'green' : 'orange'}>{t(`pub.decision.${d}`)}</Tag> : null);

  const list = (
    <>
      <Input.Search allowClear placeholder={t('pub.searchPlaceholder')} maxLength={100} onSearch={(v) => setQ(v.trim())} className="pub-gap-bottom" aria-label={t('pub.searchPlaceholder')} />
      {error ? <Alert type="error" showIcon title={error} /> : null}
      <div className="pub-wide-only">
        <Table<Disclosure>
          rowKey="id"
          size="middle"
          loading={loading && items.length === 0}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: <Empty description={t('pub.empty')} /> }}
          columns={[
            { title: t('pub.item'), dataIndex: 'item' },
            { title: t('pub.department'), dataIndex: 'department' },
            { title: t('pub.region'), dataIndex: 'region', width: 110 },
            { title: t('pub.applicant'), dataIndex: 'applicant' },
            { title: t('pub.decision'), dataIndex: 'decision', width: 90, render: decision },
            { title: t('pub.concludedOn'), dataIndex: 'concludedOn', width: 120 },
          ]}
        />
      </div>
      <List<Disclosure>
        className="pub-narrow-only"
        loading={loading && items.length === 0}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('pub.empty')} /> }}
        renderItem={(d) => (
          <List.Item key={d.id}>
            <List.Item.Meta title={<span>{d.item} {decision(d.decision)}</span>} description={`${d.department} · ${d.applicant} · ${d.concludedOn}`} />
          </List.Item>
        )}
      />
      {next ? (
        <Button block className="pub-gap" loading={loading} onClick={() => void load(q, next)}>
          {t('pub.more')}
        </Button>
      ) : null}
    </>
  );

  const ranking = screen?.rankingMonth ? (
    <Card size="small" title={t('pub.rankingMonth', { month: screen.rankingMonth })}>
      <Table
        rowKey="rank"
        size="small"
        pagination={false}
        dataSource={screen.ranking}
        columns={[
          { title: t('pub.rank'), dataIndex: 'rank', width: 70 },
          { title: t('pub.department'), dataIndex: 'department' },
          { title: t('pub.score'), dataIndex: 'score', width: 80 },
          { title: '', dataIndex: 'grade', width: 80, render: (g: ScreenSnapshot['ranking'][number]['grade']) => t(`pub.grade.${g}`) },
        ]}
      />
    </Card>
  ) : (
    <Empty description={t('pub.noRanking')} />
  );

  return (
    <div>
      <Typography.Title level={3}>{t('pub.disclosure')}</Typography.Title>
      <Tabs
        items={[
          { key: 'cases', label: t('pub.disclosure'), children: list },
          { key: 'ranking', label: t('pub.ranking'), children: ranking },
        ]}
      />
    </div>
  );
}
