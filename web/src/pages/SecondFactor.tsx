// The second sign-in step for administrators: enter the 6-digit code sent by SMS (resend once a minute).
import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { MessageOutlined } from '@ant-design/icons';
import { api, isApiError, type SecondFactorChallenge } from '../api/index.ts';
import { useAuth, useI18n, type Translate } from '../context.tsx';
import { describeError, formatLockTime } from '../format.ts';

type Challenge = SecondFactorChallenge['secondFactor'];

function describeCodeError(t: Translate, err: unknown): string {
  if (isApiError(err)) {
    if (err.code === 'auth.wrong_code') return t('secondFactor.wrongCode', { n: err.remainingAttempts ?? 0 });
    if (err.code === 'auth.code_expired') return t('secondFactor.expired');
    if (err.code === 'auth.locked') return err.lockedUntil ? t('login.locked', { time: formatLockTime(err.lockedUntil) }) : t('login.lockedNoTime');
    if (err.code === 'auth.too_many_codes' || err.code === 'auth.resend_too_soon') return t('secondFactor.tooMany');
    if (err.code === 'sms.unavailable') return t('secondFactor.smsUnavailable');
  }
  return describeError(t, err);
}

/** Seconds left until `until` (ms since epoch), ticking once a second. */
function useCountdown(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = window.setTimeout(() => setNow(Date.now()), 1000);
    return () => window.clearTimeout(timer);
  }, [until, now]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export default function SecondFactorStep({ challenge: initial, onCancel }: { challenge: Challenge; onCancel: () => void }) {
  const { t } = useI18n();
  const { completeSecondFactor } = useAuth();
  const [challenge, setChallenge] = useState(initial);
  const [resendAt, setResendAt] = useState(() => Date.now() + initial.resendAfterSeconds * 1000);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [resent, setResent] = useState(false);
  const [form] = Form.useForm<{ code: string }>();
  const wait = useCountdown(resendAt);
  const dead = isApiError(failure) && ['auth.code_expired', 'auth.locked'].includes(failure.code);

  const onFinish = async ({ code }: { code: string }) => {
    setSubmitting(true);
    setFailure(null);
    setResent(false);
    try {
      await completeSecondFactor(challenge.challengeId, code.trim());
    } catch (err) {
      setFailure(err);
      form.setFieldValue('code', '');
    } finally {
      setSubmitting(false);
    }
  };

  const resend = async () => {
    setFailure(null);
    try {
      const next = await api.resendSecondFactor(challenge.challengeId);
      setChallenge(next.secondFactor);
      setResendAt(Date.now() + next.secondFactor.resendAfterSeconds * 1000);
      setResent(true);
    } catch (err) {
      setFailure(err);
    }
  };

  return (
    <div data-testid="second-factor">
      <Typography.Title level={4}>{t('secondFactor.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" data-testid="second-factor-sent">
        {t('secondFactor.sentTo', { phone: challenge.phoneMasked })}
      </Typography.Paragraph>
      {failure ? <Alert type="error" showIcon className="login-alert" role="alert" data-testid="second-factor-error" title={describeCodeError(t, failure)} /> : null}
      {resent && !failure ? <Alert type="success" showIcon className="login-alert" title={t('secondFactor.resent')} /> : null}
      <Form<{ code: string }> form={form} layout="vertical" size="large" onFinish={(v) => void onFinish(v)} requiredMark={false} disabled={dead}>
        <Form.Item name="code" label={t('secondFactor.code')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('secondFactor.codeRequired') }]}>
          <Input prefix={<MessageOutlined />} inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={6} placeholder="000000" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('secondFactor.submit')}
        </Button>
      </Form>
      <div style={{ display: 'flex', justifyContent: 'space-between' }}>
        <Button type="link" onClick={onCancel}>
          {t('secondFactor.back')}
        </Button>
        <Button type="link" disabled={wait > 0 || dead} onClick={() => void resend()}>
          {wait > 0 ? t('secondFactor.resendIn', { n: wait }) : t('secondFactor.resend')}
        </Button>
      </div>
    </div>
  );
}
