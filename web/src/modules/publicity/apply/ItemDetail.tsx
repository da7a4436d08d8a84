// /citizen/approval/items/:id — 事项详情 (no sign-in): limits, fee and its basis, legal basis, materials with their
// type and size rules, steps with their limits, and 在线申请 when the item takes online applications.
import { useEffect, useState } from 'react';
import { Alert, Button, Spin, Tag } from 'antd';
import { navigate } from '../../../router.tsx';
import { applyApi, sizeText, typeNames, type CitizenItem } from './api.ts';
import { keyed, useApplyText } from './messages.ts';
import { Failure, Frame } from './parts.tsx';

export default function ItemDetail({ id }: { id: string }) {
  const t = useApplyText();
  const [item, setItem] = useState<CitizenItem | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    applyApi.item(id, controller.signal).then(setItem, (err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => controller.abort();
  }, [id]);
  return (
    <Frame title={item?.name ?? t('ap.title')} back="/citizen/approval">
      {error ? <Failure error={error} /> : item === null ? <Spin className="ap-spin" /> : <Detail item={item} />}
    </Frame>
  );
}

function Detail({ item }: { item: CitizenItem }) {
  const t = useApplyText();
  const fee = item.feeLawful && Number(item.feeYuan) > 0;
  return (
    <>
      <div className="ap-card" data-testid="ap-item-detail">
        <h2>{item.name}</h2>
        <div className="ap-row">
          <span>{t('ap.code')}</span>
          <span>{item.code}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.department')}</span>
          <span>{item.department.name}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.kind')}</span>
          <span>{keyed(t, 'ap.kind.', item.kind)}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.statutory')}</span>
          <span data-testid="ap-item-statutory">{t('ap.days', { n: item.statutoryDays })}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.promised')}</span>
          <span data-testid="ap-item-promised">{t('ap.days', { n: item.promisedDays })}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.fee')}</span>
          <span data-testid="ap-item-fee">
            {fee ? t('ap.feeAmount', { yuan: item.feeYuan }) : t('ap.feeNone')}
            {fee && item.feeBasis ? <div className="ap-small ap-muted">{t('ap.feeBasis', { basis: item.feeBasis })}</div> : null}
          </span>
        </div>
        <div className="ap-row">
          <span>{t('ap.legalBasis')}</span>
          <span className="ap-small">{item.legalBasis}</span>
        </div>
      </div>
      <div className="ap-card">
        <h3>{t('ap.materials')}</h3>
        {item.materials.map((m) => (
          <div key={m.seq} className="ap-row">
            <span style={{ color: 'inherit' }}>
              {m.seq}. {m.name} {m.required ? <Tag color="red">{t('ap.required')}</Tag> : <Tag>{t('ap.optional')}</Tag>}
            </span>
            <span className="ap-small ap-muted">{t('ap.materialRule', { types: typeNames(m.mimeTypes), size: sizeText(m.maxBytes) })}</span>
          </div>
        ))}
      </div>
      <div className="ap-card">
        <h3>{t('ap.steps')}</h3>
        {item.steps.map((s) => (
          <div key={s.seq} className="ap-row">
            <span style={{ color: 'inherit' }}>{s.name || keyed(t, 'ap.step.', s.step)}</span>
            <span className="ap-small">{s.limitDays === null ? t('ap.noStepLimit') : t('ap.stepLimit', { n: s.limitDays })}</span>
          </div>
        ))}
      </div>
      {item.status !== 'active' ? (
        <Alert type="warning" showIcon title={t('ap.retired')} />
      ) : item.online ? (
        <Button type="primary" size="large" block onClick={() => navigate(`/citizen/approval/items/${item.id}/apply`)} data-testid="ap-apply">
          {t('ap.applyOnline')}
        </Button>
      ) : (
        <Alert type="info" showIcon title={t('ap.goCounter')} />
      )}
    </>
  );
}
