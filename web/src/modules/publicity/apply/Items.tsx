// /citizen/approval — the item catalogue for citizens (no sign-in): search, online ones first, each to its detail.
import { useEffect, useState } from 'react';
import { Button, Checkbox, Empty, Input, Spin, Tag } from 'antd';
import { navigate } from '../../../router.tsx';
import { applyApi, type CitizenItemList } from './api.ts';
import { keyed, useApplyText } from './messages.ts';
import { Failure, Frame } from './parts.tsx';

const PAGE = 20;

export default function Items() {
  const t = useApplyText();
  const [q, setQ] = useState('');
  const [onlineOnly, setOnlineOnly] = useState(true);
  const [limit, setLimit] = useState(PAGE);
  const [data, setData] = useState<CitizenItemList | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    applyApi
      .items({ q: q || undefined, online: onlineOnly ? true : undefined, status: 'active', limit }, controller.signal)
      .then((d) => (setData(d), setError(null)))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [q, onlineOnly, limit]);
  return (
    <Frame title={t('ap.title')} back="/citizen/services">
      <div className="ap-card">
        <Input.Search allowClear placeholder={t('ap.search')} onSearch={(v) => (setQ(v.trim()), setLimit(PAGE))} data-testid="ap-item-search" enterButton />
        <Checkbox checked={onlineOnly} onChange={(e) => (setOnlineOnly(e.target.checked), setLimit(PAGE))} style={{ marginTop: 8 }}>
          {t('ap.onlineOnly')}
        </Checkbox>
      </div>
      {error ? <Failure error={error} /> : null}
      {data === null ? (
        !error && <Spin className="ap-spin" />
      ) : data.items.length === 0 ? (
        <Empty description={t('ap.noItems')} />
      ) : (
        <div className="ap-list" data-testid="ap-items">
          {data.items.map((item) => (
            <a key={item.id} className="ap-item" href={`/citizen/approval/items/${item.id}`} onClick={(e) => (e.preventDefault(), navigate(`/citizen/approval/items/${item.id}`))} data-testid="ap-item">
              <div className="ap-item-name">{item.name}</div>
              <div className="ap-small ap-muted">
                {item.department.name} · {keyed(t, 'ap.kind.', item.kind)}
              </div>
              <div className="ap-small">
                {t('ap.promised')} {t('ap.days', { n: item.promisedDays })} · {t('ap.statutory')} {t('ap.days', { n: item.statutoryDays })}{' '}
                {item.online ? <Tag color="green">{t('ap.online')}</Tag> : <Tag>{t('ap.counterOnly')}</Tag>}
              </div>
            </a>
          ))}
          {data.total > data.items.length && (
            <Button block onClick={() => setLimit((n) => Math.min(n + PAGE, 200))}>
              {t('ap.more')}
            </Button>
          )}
        </div>
      )}
    </Frame>
  );
}
