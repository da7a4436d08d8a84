// /public/penalties — 行政处罚公示, open without signing in: decided penalties as cards (phone first), a search, and
// "load more". Organisations are named, persons come masked from the server, ID numbers never come at all.
import { useEffect, useState } from 'react';
import { Button, Card, Empty, Input, Layout, Space, Spin, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { mattersApi, type PublicPenalty } from './api.ts';
import { useMattersT } from './useMattersT.ts';

export default function PublicPenalties() {
  const tm = useMattersT();
  const { lang, setLang } = useI18n();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<PublicPenalty[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = async (term: string, after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const page = await mattersApi.publicPenalties({ q: term || undefined, cursor: after ?? undefined, limit: 20 }, signal);
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      if (!signal?.aborted) setError(err);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const abort = new AbortController();
    void load(q, null, abort.signal);
    return () => abort.abort();
  }, [q]);

  return (
    <Layout style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 16px' }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 17 }} data-testid="public-penalties-title">
          {tm('public.title')}
        </Typography.Text>
        <Space>
          <a href="/public" style={{ color: '#cfe0ff' }} data-testid="public-home-link">
            {tm('public.approvals')}
          </a>
          <a style={{ color: '#cfe0ff' }} onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {lang === 'zh-CN' ? 'EN' : '中文'}
          </a>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ maxWidth: 920, width: '100%', margin: '0 auto', padding: 12 }}>
        <Typography.Paragraph type="secondary">{tm('public.subtitle')}</Typography.Paragraph>
        <Input.Search allowClear enterButton placeholder={tm('public.search')} maxLength={100} onSearch={(v) => setQ(v.trim())} data-testid="public-penalties-search" style={{ marginBottom: 12 }} />
        {error ? <ErrorAlert error={error} /> : null}
        <Space direction="vertical" size={10} style={{ width: '100%' }}>
          {items.map((p) => (
            <Card key={p.id} size="small" title={<span style={{ whiteSpace: 'normal' }}>{p.title}</span>} extra={<span style={{ color: '#888' }}>{p.refNo}</span>} data-testid="public-penalty">
              <dl className="public-penalty-fields" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 12px', margin: 0 }}>
                <dt>{tm('public.party')}</dt>
                <dd style={{ margin: 0 }} data-testid="public-penalty-party">
                  {p.partyName}
                </dd>
                <dt>{tm('public.basis')}</dt>
                <dd style={{ margin: 0 }}>
                  {p.law}
                  {p.article}
                </dd>
                <dt>{tm('public.amount')}</dt>
                <dd style={{ margin: 0 }}>{tm('public.yuan', { n: p.amountYuan.toLocaleString('zh-CN') })}</dd>
                <dt>{tm('public.decidedOn')}</dt>
                <dd style={{ margin: 0 }}>{p.decidedOn}</dd>
                <dt>{tm('public.department')}</dt>
                <dd style={{ margin: 0 }}>
                  {p.departmentName} · {p.regionName}
                </dd>
              </dl>
            </Card>
          ))}
        </Space>
        {loading ? (
          <div style={{ textAlign: 'center', padding: 16 }}>
            <Spin />
          </div>
        ) : items.length === 0 ? (
          <Empty description={tm('public.empty')} />
        ) : cursor ? (
          <Button block style={{ marginTop: 12 }} onClick={() => void load(q, cursor)} data-testid="public-penalties-more">
            {tm('public.more')}
          </Button>
        ) : null}
      </Layout.Content>
    </Layout>
  );
}
