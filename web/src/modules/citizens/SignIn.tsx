// Signing in: by mobile or ID number and password (with a captcha once the server asks), or by an SMS code.
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, ReloadOutlined, UserOutlined } from '@ant-design/icons';
import { api, isApiError, type Captcha } from '../../api/index.ts';
import { citizenApi, type CitizenProfile } from './api.ts';
import { CodeField, PhoneField, showOnField, useErrorText } from './fields.tsx';
import { usePortalText } from './messages.ts';

const CAPTCHA_CODES = new Set(['auth.captcha_required', 'auth.captcha_wrong']);

export function PasswordSignIn({ onSignedIn }: { onSignedIn: (profile: CitizenProfile) => void }) {
  const { p } = usePortalText();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ identifier: string; password: string; captchaAnswer?: string }>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [captcha, setCaptcha] = useState<Captcha | null>(null);

  const loadCaptcha = async () => {
    form.setFieldValue('captchaAnswer', '');
    setCaptcha(await api.captcha().catch(() => null));
  };

  const submit = async (values: { identifier: string; password: string; captchaAnswer?: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      const answer = captcha && values.captchaAnswer ? { captchaId: captcha.id, captchaAnswer: values.captchaAnswer.trim() } : {};
      onSignedIn(await citizenApi.signIn({ identifier: values.identifier.trim(), password: values.password, ...answer }));
    } catch (err) {
      setFailure(err);
      form.setFieldValue('password', '');
      if (captcha || (isApiError(err) && CAPTCHA_CODES.has(err.code))) void loadCaptcha();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" size="large" requiredMark={false} onFinish={(v) => void submit(v)}>
      {failure ? <Alert type="error" showIcon className="login-alert" role="alert" data-testid="portal-error" title={errorText(failure)} /> : null}
      <Form.Item name="identifier" label={p('portal.identifier')} rules={[{ required: true, whitespace: true, message: p('portal.identifierRequired') }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" maxLength={18} placeholder={p('portal.identifier')} />
      </Form.Item>
      <Form.Item name="password" label={p('portal.password')} rules={[{ required: true, message: p('portal.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} placeholder={p('portal.password')} />
      </Form.Item>
      {captcha ? (
        <Form.Item label={p('portal.captcha')} required={false}>
          <div className="login-captcha">
            <Form.Item name="captchaAnswer" noStyle rules={[{ required: true, whitespace: true, message: p('portal.captchaRequired') }]}>
              <Input autoComplete="off" maxLength={16} aria-label={p('portal.captcha')} />
            </Form.Item>
            <img className="login-captcha-image" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(captcha.svg)}`} alt={p('portal.captcha')} />
            <Button icon={<ReloadOutlined />} onClick={() => void loadCaptcha()} aria-label={p('portal.captcha')} />
          </div>
        </Form.Item>
      ) : null}
      <Button type="primary" htmlType="submit" block loading={busy}>
        {p('portal.signIn')}
      </Button>
    </Form>
  );
}

export function CodeSignIn({ onSignedIn }: { onSignedIn: (profile: CitizenProfile) => void }) {
  const { p } = usePortalText();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { phone: string; code: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      onSignedIn(await citizenApi.signInWithCode(values.phone, values.code));
    } catch (err) {
      if (!showOnField(form, err, errorText(err))) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" size="large" requiredMark={false} onFinish={(v) => void submit(v)}>
      {failure ? <Alert type="error" showIcon className="login-alert" role="alert" data-testid="portal-error" title={errorText(failure)} /> : null}
      <PhoneField />
      <CodeField form={form} purpose="sign_in" onError={setFailure} />
      <Button type="primary" htmlType="submit" block loading={busy}>
        {p('portal.signIn')}
      </Button>
    </Form>
  );
}
