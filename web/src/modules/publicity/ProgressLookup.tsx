// /public/progress — a case's progress without signing in: the case number with the applicant's name or ID number;
// a captcha once the server asks for one. Works at 390 px.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Steps, Tag, Timeline, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, isApiError, type Captcha } from '../../api/index.ts';
import { publicApi, type Progress } from './api.ts';
import { usePublicText, type PublicText } from './messages.ts';

interface Values {
  caseNo: string;
  by: 'name' | 'id';
  name?: string;
  idNumber?: string;
  captchaAnswer?: string;
}

const CAPTCHA_CODES = new Set(['publicity.captcha_required', 'publicity.captcha_wrong']);

export default function ProgressLookup() {
  const t = usePublicText();
  const [form] = Form.useForm<Values>();
  const by = Form.useWatch('by', form) ?? 'name';
  const [captcha, setCaptcha] = useState<Captcha | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Progress | null>(null);

  const loadCaptcha = async () => {
    form.setFieldValue('captchaAnswer', '');
    setCaptcha(await api.captcha().catch(() => null));
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const applicant = v.by === 'name' ? { name: v.name!.trim() } : { idNumber: v.idNumber!.trim() };
      const answer = captcha && v.captchaAnswer ? { captchaId: captcha.id, captchaAnswer: v.captchaAnswer.trim() } : {};
      setResult(await publicApi.progress({ caseNo: v.caseNo.trim(), ...applicant, ...answer }));
      setCaptcha(null);
    } catch (err) {
      setResult(null);
      const code = isApiError(err) ? err.code : '';
      setError(code === 'publicity.rate_limited' ? t('pub.rateLimited') : CAPTCHA_CODES.has(code) ? t('pub.captchaAsk') : code === 'publicity.case_not_found' ? t('pub.notFound') : isApiError(err) ? err.detail ?? err.title : String(err));
      if (captcha || CAPTCHA_CODES.has(code)) void loadCaptcha();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pub-narrow">
      <Typography.Title level={3}>{t('pub.progress')}</Typography.Title>
      <Card>
        <Form form={form} layout="vertical" initialValues={{ by: 'name' }} onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item name="caseNo" label={t('pub.caseNo')} rules={[{ required: true, pattern: /^\s*[A-Za-z0-9-]{4,40}\s*$/, message: t('pub.caseNoRequired') }]}>
            <Input autoComplete="off" maxLength={40} inputMode="text" />
          </Form.Item>
          <Form.Item name="by" label={t('pub.by')}>
            <Radio.Group optionType="button" options={[{ value: 'name', label: t('pub.byName') }, { value: 'id', label: t('pub.byId') }]} />
          </Form.Item>
          {by === 'name' ? (
            <Form.Item name="name" label={t('pub.name')} rules={[{ required: true, whitespace: true, message: t('pub.nameRequired') }]}>
              <Input autoComplete="off" maxLength={50} />
            </Form.Item>
          ) : (
            <Form.Item name="idNumber" label={t('pub.idNumber')} rules={[{ required: true, pattern: /^\s*[0-9A-Za-z]{15,18}\s*$/, message: t('pub.idRequired') }]}>
              <Input autoComplete="off" maxLength={18} />
            </Form.Item>
          )}
          {captcha ? (
            <Form.Item label={t('pub.captcha')}>
              <div className="login-captcha">
                <Form.Item name="captchaAnswer" noStyle rules={[{ required: true, whitespace: true, message: t('pub.captchaRequired') }]}>
                  <Input autoComplete="off" maxLength={10} aria-label={t('pub.captcha')} />
                </Form.Item>
                <img className="login-captcha-image" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(captcha.svg)}`} alt={t('pub.captcha')} />
                <Button icon={<ReloadOutlined />} onClick={() => void loadCaptcha()} aria-label={t('pub.captcha')} />
              </div>
            </Form.Item>
          ) : null}
          {error ? <Alert type="error" showIcon title={error} className="pub-gap" /> : null}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('pub.search')}
          </Button>
        </Form>
      </Card>
      {result ? <ProgressCard p={result} t={t} /> : null}
    </div>
  );
}

function ClockLine({ label, clock, t }: { label: string; clock: Progress['statutory']; t: PublicText }) {
  if (!clock) return null;
  return (
    <Descriptions.Item label={label}>
      {t('pub.due', { date: clock.due })} ·{' '}
      {clock.overdue ? <Tag color="red">{t('pub.overdue')}</Tag> : <span>{t('pub.remaining', { n: Math.max(0, clock.remainingWorkingDays) })}</span>}
    </Descriptions.Item>
  );
}

function ProgressCard({ p, t }: { p: Progress; t: PublicText }) {
  const current = p.steps.findIndex((s) => !s.completedOn);
  return (
    <Card className="pub-gap" title={p.item} data-testid="progress-result">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('pub.caseNo')}>{p.caseNo}</Descriptions.Item>
        <Descriptions.Item label={t('pub.department')}>{p.department}</Descriptions.Item>
        <Descriptions.Item label={t('pub.state')}>
          <Tag color={p.state === 'concluded' || p.state === 'delivered' ? 'green' : 'blue'}>{t(`pub.state.${p.state}`)}</Tag>
          {p.decision ? t(`pub.decision.${p.decision}`) : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('pub.appliedOn')}>{p.appliedOn}</Descriptions.Item>
        {p.acceptedOn ? <Descriptions.Item label={t('pub.acceptedOn')}>{p.acceptedOn}</Descriptions.Item> : null}
        {p.concludedOn ? <Descriptions.Item label={t('pub.concludedOn')}>{p.concludedOn}</Descriptions.Item> : null}
        {ClockLine({ label: t('pub.statutory'), clock: p.statutory, t })}
        {ClockLine({ label: t('pub.promised'), clock: p.promised, t })}
      </Descriptions>
      {p.paused && p.pausedSince ? <Alert type="warning" showIcon className="pub-gap" title={t('pub.paused', { date: p.pausedSince })} /> : null}
      {p.dueProvisional ? <Alert type="info" showIcon className="pub-gap" title={t('pub.provisional')} /> : null}
      {p.correction ? <Alert type="warning" className="pub-gap" title={t('pub.correction')} description={`${p.correction.asks}（${t('pub.correctionSince', { date: p.correction.since })}）`} /> : null}
      <Typography.Title level={5} className="pub-gap">
        {t('pub.steps')}
      </Typography.Title>
      <Steps
        orientation="vertical"
        size="small"
        current={current < 0 ? p.steps.length : current}
        items={p.steps.map((s) => ({ title: s.name, content: s.completedOn ? t('pub.stepDone', { date: s.completedOn }) : s.dueOn ? t('pub.stepDue', { date: s.dueOn }) : t('pub.stepPending') }))}
      />
      <Typography.Title level={5}>{t('pub.timeline')}</Typography.Title>
      <Timeline items={p.timeline.map((e) => ({ content: `${e.on} ${t(`pub.state.${e.state}`)}` }))} />
    </Card>
  );
}
