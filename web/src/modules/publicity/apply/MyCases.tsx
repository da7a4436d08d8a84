// /citizen/approval/mine — 我的办件 (signed in): each case with its state and both clocks in plain words.
import { useEffect, useState } from 'react';
import { Button, Empty, Spin } from 'antd';
import { navigate } from '../../../router.tsx';
import { applyApi, type CitizenCaseSummary } from './api.ts';
import { useApplyText } from './messages.ts';
import { Clocks, Failure, Frame, SignedIn, StateTag } from './parts.tsx';

export default function MyCases() {
  const t = useApplyText();
  return (
    <Frame title={t('ap.mine')} back="/citizen/services">
      <SignedIn>{() => <List />}</SignedIn>
    </Frame>
  );
}

function List() {
  const t = useApplyText();
  const [cases, setCases] = useState<CitizenCaseSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    applyApi.mine(controller.signal).then(
      (list) => setCases(list.items),
      (err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      },
    );
    return () => controller.abort();
  }, []);
  if (error) return <Failure error={error} />;
  if (cases === null) return <Spin className="ap-spin" />;
  if (cases.length === 0)
    return (
      <Empty description={t('ap.noCases')}>
        <Button type="primary" onClick={() => navigate('/citizen/approval')}>
          {t('ap.browse')}
        </Button>
      </Empty>
    );
  return (
    <div className="ap-list" data-testid="ap-cases">
      {cases.map((c) => (
        <a key={c.id} className="ap-item" href={`/citizen/approval/cases/${c.id}`} onClick={(e) => (e.preventDefault(), navigate(`/citizen/approval/cases/${c.id}`))} data-testid="ap-case" data-case-id={c.id}>
          <div className="ap-item-name">
            {c.item.name} <StateTag state={c.state} />
          </div>
          <div className="ap-small ap-muted">
            {t('ap.caseNo')} {c.caseNo} · {t('ap.appliedOn')} {c.appliedOn}
          </div>
          <Clocks c={c} />
        </a>
      ))}
    </div>
  );
}
