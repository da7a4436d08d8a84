// /citizen/approval/cases/:id — 办件详情 (signed in): state and clocks, materials (upload while the case is open),
// a 补正 request with the materials asked for and 补正完成 to resume the clock, 撤回 before the decision, 评价 once
// concluded (the evaluation module's page), and the timeline from the ledger.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Popconfirm, Spin, Timeline } from 'antd';
import { formatDateTime } from '../../../format.ts';
import { useI18n } from '../../../context.tsx';
import { applyApi, type CitizenCase } from './api.ts';
import { keyed, useApplyText } from './messages.ts';
import { checkFile, Clocks, Failure, Frame, MaterialPicker, SignedIn, StateTag } from './parts.tsx';

const OPEN_FOR_MATERIALS = ['submitted', 'accepted', 'reviewing'];

export default function CaseDetail({ id }: { id: string }) {
  const t = useApplyText();
  return (
    <Frame title={t('ap.caseTitle')} back="/citizen/approval/mine">
      <SignedIn>{() => <Detail id={id} />}</SignedIn>
    </Frame>
  );
}

function Detail({ id }: { id: string }) {
  const t = useApplyText();
  const { problem } = useI18n();
  const { message } = App.useApp();
  const [view, setView] = useState<CitizenCase | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<number, string | null>>({});
  const [uploading, setUploading] = useState<number | null>(null);
  const [acting, setActing] = useState(false);

  const load = useCallback(
    (signal?: AbortSignal) =>
      applyApi.get(id, signal).then(setView, (err: unknown) => {
        if (!signal?.aborted) setError(err);
      }),
    [id],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  if (error && !view) return <Failure error={error} />;
  if (!view) return <Spin className="ap-spin" />;

  const correction = view.pauses.find((p) => p.kind === 'correction' && p.endedOn === null) ?? null;
  const open = OPEN_FOR_MATERIALS.includes(view.state);

  const upload = async (seq: number, file: File) => {
    const material = view.materials.find((m) => m.seq === seq)!;
    const refused = checkFile(t, material, file);
    setErrors((e) => ({ ...e, [seq]: refused }));
    if (refused) return;
    setUploading(seq);
    try {
      await applyApi.upload(view.id, seq, file);
      await load();
    } catch (err) {
      setErrors((e) => ({ ...e, [seq]: problem(err) }));
    } finally {
      setUploading(null);
    }
  };

  const act = async (action: 'resubmit' | 'withdraw') => {
    setActing(true);
    try {
      setView(await applyApi.act(view.id, action, { version: view.version }));
      void message.success(t(action === 'resubmit' ? 'ap.resubmitted' : 'ap.withdrawn'));
    } catch (err) {
      void message.error(problem(err));
      void load();
    } finally {
      setActing(false);
    }
  };

  return (
    <>
      <div className="ap-card" data-testid="ap-case-detail">
        <h2>
          {view.item.name} <StateTag state={view.state} />
        </h2>
        <div className="ap-row">
          <span>{t('ap.caseNo')}</span>
          <span data-testid="ap-case-no">{view.caseNo}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.department')}</span>
          <span>{view.department.name}</span>
        </div>
        <div className="ap-row">
          <span>{t('ap.appliedOn')}</span>
          <span>{view.appliedOn}</span>
        </div>
        <Clocks c={view} />
        {view.decision && <div style={{ marginTop: 8 }}>{keyed(t, 'ap.decision.', view.decision)}</div>}
        {view.reason && ['rejected', 'decided', 'concluded', 'delivered'].includes(view.state) && <div className="ap-small ap-muted">{t('ap.reason', { reason: view.reason })}</div>}
      </div>

      {correction && (
        <Alert type="warning" showIcon title={t('ap.correction')} description={t('ap.correctionHint', { reason: correction.reason })} data-testid="ap-correction" />
      )}

      <div className="ap-card">
        <h3>{t('ap.materials')}</h3>
        {view.materials
          .filter((m) => !correction || correction.materials.length === 0 || correction.materials.includes(m.seq) || m.files.length > 0)
          .map((m) =>
            open ? (
              <MaterialPicker key={m.seq} material={m} uploaded={m.files.map((f) => f.name)} error={errors[m.seq] ?? null} busy={uploading === m.seq} onPick={(f) => void upload(m.seq, f)} />
            ) : (
              <div key={m.seq} className="ap-row">
                <span style={{ color: 'inherit' }}>{m.name}</span>
                <span className="ap-small">{m.files.length > 0 ? m.files.map((f) => f.name).join('、') : t('ap.noFile')}</span>
              </div>
            ),
          )}
      </div>

      <div className="ap-actions">
        {view.actions.includes('resubmit') && (
          <Button type="primary" size="large" block loading={acting} onClick={() => void act('resubmit')} data-testid="ap-resubmit">
            {t('ap.resubmit')}
          </Button>
        )}
        {['concluded', 'delivered'].includes(view.state) && (
          <Button type="primary" size="large" block href={`/citizen/rate/${view.id}`} data-testid="ap-rate">
            {t('ap.rate')}
          </Button>
        )}
        {view.actions.includes('withdraw') && (
          <Popconfirm title={t('ap.withdrawConfirm')} onConfirm={() => act('withdraw')}>
            <Button danger size="large" block loading={acting} data-testid="ap-withdraw">
              {t('ap.withdraw')}
            </Button>
          </Popconfirm>
        )}
      </div>

      <div className="ap-card">
        <h3>{t('ap.timeline')}</h3>
        <Timeline
          data-testid="ap-timeline"
          items={[...view.events].reverse().map((e) => ({
            key: e.seq,
            content: (
              <>
                <div>{keyed(t, 'ap.event.', e.action)}</div>
                <div className="ap-small ap-muted">
                  {formatDateTime(e.at)}
                  {e.note ? ` · ${e.note}` : ''}
                </div>
              </>
            ),
          }))}
        />
      </div>
    </>
  );
}
