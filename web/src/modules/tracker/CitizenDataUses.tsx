// 我的数据被谁用了 — the signed-in citizen's data-use record in the portal: newest first, one card per read, more on
// request. Mobile-first (390 px).
import { useCallback, useEffect, useState } from 'react';
import { Button, Empty, Spin, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { trackerApi, type DataUse } from './api.ts';
import './tracker.css';

const PAGE = 20;

export default function CitizenDataUses() {
  const { t, tx } = useI18n();
  const [items, setItems] = useState<DataUse[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (cursor: string | null) => {
    setLoading(true);
    try {
      const page = await trackerApi.own(cursor, PAGE);
      setItems((seen) => (cursor ? [...seen, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <div className="citizen-data-uses" data-testid="citizen-data-uses">
      <Typography.Paragraph type="secondary" className="data-uses-help">
        {t('tracker.my.help')}
      </Typography.Paragraph>
      {error ? <ErrorAlert error={error} onRetry={() => void load(null)} /> : null}
      {!loading && items.length === 0 && !error ? <Empty description={t('tracker.my.empty')} /> : null}
      <ol className="data-use-list">
        {items.map((u) => (
          <li key={u.id} className="data-use-card" data-testid="citizen-data-use">
            <div className="data-use-head">
              <span className="data-use-dept">{u.departmentName ?? '—'}</span>
              <time className="data-use-at" dateTime={u.at}>
                {formatDateTime(u.at)}
              </time>
            </div>
            {u.systemName ? <div className="data-use-line">{`${t('tracker.system')}：${u.systemName}`}</div> : null}
            <div className="data-use-line">{`${t('tracker.resource')}：${u.resourceName}`}</div>
            <div className="data-use-line">{`${t('tracker.purpose')}：${u.purpose ?? '—'}`}</div>
            <div className="data-use-items">
              {u.items.map((i) => (
                <Tag key={i.code}>{i.name}</Tag>
              ))}
              <Tag color="blue">{tx(`tracker.via.${u.via}`, u.via)}</Tag>
            </div>
          </li>
        ))}
      </ol>
      {loading ? <Spin className="data-uses-spin" /> : null}
      {next && !loading ? (
        <Button block onClick={() => void load(next)} data-testid="citizen-data-uses-more">
          {t('tracker.my.more')}
        </Button>
      ) : null}
    </div>
  );
}
