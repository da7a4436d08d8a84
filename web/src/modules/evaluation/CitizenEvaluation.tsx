// The citizen portal's evaluation pages (mobile first, 390 px): /citizen/rate/:caseId rates a concluded case once, and
// /citizen/complaints lists one's complaints and files a new one. Mounted by App.tsx inside the portal's chrome.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Empty, Form, Input, List, Rate, Result, Select, Spin, Tag, Typography } from 'antd';
import { RATING_TAGS } from '../../../../src/modules/evaluation/kinds.ts';
import { isApiError } from '../../api/index.ts';
import { useI18n } from '../../context.tsx';
import { describeError, formatDateTime } from '../../format.ts';
import { LangSwitch } from '../../Layout.tsx';
import { Logo } from '../../Logo.tsx';
import { useLocation } from '../../router.tsx';
import { citizenApi } from '../citizens/api.ts';
import { evaluationApi, type CitizenCase, type Complaint } from './api.ts';
import '../citizens/citizens.css';

type Load<T> = { status: 'loading' } | { status: 'signed-out' } | { status: 'error'; message: string } | { status: 'ready'; value: T };

function useLoad<T>(fetch: (signal: AbortSignal) => Promise<T>, key: string): [Load<T>, () => void] {
  const { t } = useI18n();
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    // the portal session first: it also hands over the CSRF token the writes need
    citizenApi.me(controller.signal).then(() => fetch(controller.signal)).then(
      (value) => setState({ status: 'ready', value }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState(isApiError(err) && (err.status === 401 || err.status === 403) ? { status: 'signed-out' } : { status: 'error', message: describeError(t, err) });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refetch on the key and on reload only
  }, [key, tick]);
  return [state, () => setTick((n) => n + 1)];
}

function Gate<T>({ state, children }: { state: Load<T>; children: (value: T) => React.ReactNode }) {
  const { t } = useI18n();
  if (state.status === 'loading') return <Spin className="citizen-spin" />;
  if (state.status === 'signed-out')
    return (
      <Result
        status="info"
        title={t('evaluation.citizen.signIn')}
        extra={
          <Button type="primary" href="/citizen" data-testid="citizen-eval-sign-in">
            {t('evaluation.citizen.toPortal')}
          </Button>
        }
      />
    );
  if (state.status === 'error') return <Alert type="error" title={state.message} />;
  return <>{children(state.value)}</>;
}

function RateCase({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [state, reload] = useLoad<CitizenCase>((signal) => evaluationApi.citizenCase(caseId, signal), caseId);
  const [level, setLevel] = useState(5);
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    setSaving(true);
    try {
      await evaluationApi.rate(caseId, { level, comment, tags: tags as (typeof RATING_TAGS)[number][] });
      void message.success(t('evaluation.citizen.thanks'));
      reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Gate state={state}>
      {(c) => (
        <div data-testid="citizen-rate">
          <Typography.Title level={4}>{t('evaluation.citizen.rateTitle')}</Typography.Title>
          <p>
            <b>{c.itemName}</b>
            <br />
            <span className="muted">
              {c.caseNo} · {c.departmentName}
            </span>
          </p>
          {c.rating ? (
            <Result status="success" title={t('evaluation.citizen.rated')} subTitle={<Rate disabled value={c.rating.level} />} />
          ) : !c.ratable ? (
            <Alert type="info" title={t('evaluation.citizen.notConcluded')} />
          ) : (
            <>
              <div style={{ textAlign: 'center', margin: '12px 0' }}>
                <Rate value={level} onChange={(v) => setLevel(v || 1)} style={{ fontSize: 32 }} data-testid="citizen-rate-stars" />
                <div>{t(`evaluation.level.${level}` as 'evaluation.level.1')}</div>
              </div>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginBottom: 12 }}>
                {RATING_TAGS.map((tag) => (
                  <Tag.CheckableTag key={tag} checked={tags.includes(tag)} onChange={(on) => setTags(on ? [...tags, tag] : tags.filter((x) => x !== tag))}>
                    {tag}
                  </Tag.CheckableTag>
                ))}
              </div>
              <Input.TextArea rows={3} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('evaluation.comment')} data-testid="citizen-rate-comment" />
              {level <= 2 && <Alert style={{ marginTop: 8 }} type="warning" title={t('evaluation.citizen.badHint')} />}
              <Button type="primary" block size="large" style={{ marginTop: 12 }} loading={saving} onClick={() => void submit()} data-testid="citizen-rate-submit">
                {t('evaluation.citizen.submit')}
              </Button>
            </>
          )}
        </div>
      )}
    </Gate>
  );
}

function MyComplaints() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [state, reload] = useLoad((signal) => Promise.all([evaluationApi.myComplaints(signal), evaluationApi.citizenDepartments(signal)]), 'complaints');
  const [form] = Form.useForm<{ departmentId: string; subject: string; body: string }>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await evaluationApi.fileMyComplaint(v);
      void message.success(t('evaluation.complaint.filed'));
      form.resetFields();
      setOpen(false);
      reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Gate state={state}>
      {([mine, departments]) => (
        <div data-testid="citizen-complaints">
          <Typography.Title level={4}>{t('evaluation.citizen.complaintsTitle')}</Typography.Title>
          {open ? (
            <Form form={form} layout="vertical">
              <Form.Item name="departmentId" label={t('evaluation.department')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" options={departments.items.map((d) => ({ value: d.id, label: d.name }))} data-testid="citizen-complaint-department" />
              </Form.Item>
              <Form.Item name="subject" label={t('evaluation.complaint.subject')} rules={[{ required: true, whitespace: true, max: 100 }]}>
                <Input maxLength={100} data-testid="citizen-complaint-subject" />
              </Form.Item>
              <Form.Item name="body" label={t('evaluation.complaint.body')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
                <Input.TextArea rows={4} maxLength={2000} data-testid="citizen-complaint-body" />
              </Form.Item>
              <Button type="primary" block size="large" loading={saving} onClick={() => void submit()} data-testid="citizen-complaint-submit">
                {t('evaluation.citizen.submitComplaint')}
              </Button>
            </Form>
          ) : (
            <Button type="primary" block onClick={() => setOpen(true)} data-testid="citizen-complaint-new">
              {t('evaluation.citizen.newComplaint')}
            </Button>
          )}
          {mine.items.length === 0 ? (
            <Empty description={t('evaluation.citizen.noComplaints')} />
          ) : (
            <List<Complaint>
              dataSource={mine.items}
              renderItem={(c) => (
                <List.Item data-testid="citizen-complaint">
                  <List.Item.Meta
                    title={
                      <>
                        {c.subject} <Tag>{t(`evaluation.complaint.state.${c.state}`)}</Tag>
                      </>
                    }
                    description={`${c.department.name} · ${formatDateTime(c.filedAt)}${c.result ? ` · ${c.result}` : c.decisionReason ? ` · ${c.decisionReason}` : ''}`}
                  />
                </List.Item>
              )}
            />
          )}
        </div>
      )}
    </Gate>
  );
}

export default function CitizenEvaluation() {
  const { t } = useI18n();
  const path = useLocation().pathname;
  const rate = /^\/citizen\/rate\/([^/]+)\/?$/.exec(path);
  return (
    <div className="login-page citizen-portal">
      <div className="login-topbar">
        <LangSwitch dark />
      </div>
      <div className="citizen-body">
        <div className="citizen-brand">
          <Logo size={40} />
          <div className="citizen-brand-name">{t('app.name')}</div>
        </div>
        <div className="login-card citizen-card">
          {rate ? <RateCase caseId={decodeURIComponent(rate[1]!)} /> : <MyComplaints />}
          <a className="citizen-staff-link" href="/citizen">
            {t('evaluation.citizen.back')}
          </a>
        </div>
      </div>
      <div className="login-footer">{t('app.footer')}</div>
    </div>
  );
}
