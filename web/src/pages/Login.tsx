// /login — username + password sign-in; the same generic messages whether or not the name exists, and a captcha
// once the server asks for one.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, ReloadOutlined, SafetyCertificateOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { api, isApiError, type Captcha, type SecondFactorChallenge } from '../api/index.ts';
import { useAuth, useI18n, type Translate } from '../context.tsx';
import { describeError, formatLockTime } from '../format.ts';
import { LangSwitch } from '../Layout.tsx';
import { Logo } from '../Logo.tsx';
import SecondFactorStep from './SecondFactor.tsx';

interface LoginForm {
  username: string;
  password: string;
  captchaAnswer?: string;
}

const CAPTCHA_CODES = new Set(['auth.captcha_required', 'auth.captcha_wrong']);

interface LoginFailure {
  title: string;
  description?: string;
}

function describeLoginError(t: Translate, err: unknown): LoginFailure {
  if (isApiError(err)) {
    if (err.code === 'auth.locked' || err.status === 423) {
      return { title: err.lockedUntil ? t('login.locked', { time: formatLockTime(err.lockedUntil) }) : t('login.lockedNoTime') };
    }
    if (err.code === 'auth.invalid_credentials') return { title: t('login.invalidCredentials') };
    if (err.code === 'auth.captcha_required') return { title: t('login.captchaNeeded') };
    if (err.code === 'auth.captcha_wrong') return { title: t('login.captchaWrong') };
    if (err.code === 'auth.busy') return { title: t('login.busy') };
    if (err.status === 429) return { title: t('login.rateLimited') };
    if (err.status === 401) return { title: t('login.invalidCredentials') };
  }
  return { title: describeError(t, err) };
}

export default function LoginPage({ expired = false }: { expired?: boolean }) {
  const { t, lang } = useI18n();
  const { login } = useAuth();
  const [form] = Form.useForm<LoginForm>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [captcha, setCaptcha] = useState<Captcha | null>(null);
  const [challenge, setChallenge] = useState<SecondFactorChallenge['secondFactor'] | null>(null);

  /** A captcha is single-use: a new one after every attempt that sent one, and whenever the server asks. */
  const loadCaptcha = useCallback(async () => {
    form.setFieldValue('captchaAnswer', '');
    try {
      setCaptcha(await api.captcha());
    } catch (err) {
      setFailure(err);
    }
  }, [form]);

  useEffect(() => {
    document.title = `${t('login.title')} - ${t('app.name')}`;
  }, [t]);

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setFailure(null);
    const answer = captcha && values.captchaAnswer ? { id: captcha.id, answer: values.captchaAnswer.trim() } : undefined;
    try {
      const result = await login(values.username.trim(), values.password, answer);
      if ('secondFactor' in result) setChallenge(result.secondFactor);
    } catch (err) {
      setFailure(err);
      form.setFieldValue('password', '');
      if (captcha || (isApiError(err) && CAPTCHA_CODES.has(err.code))) void loadCaptcha();
    } finally {
      setSubmitting(false);
    }
  };

  const shown = failure ? describeLoginError(t, failure) : null;

  return (
    <div className="login-page">
      <div className="login-topbar">
        <LangSwitch dark />
      </div>
      <div className="login-body">
        <div className="login-brand">
          <Logo size={64} />
          <h1 className={lang === 'zh-CN' ? 'login-brand-name' : 'login-brand-name login-brand-name-latin'}>{t('app.name')}</h1>
          <div className="login-brand-alt">{t('app.nameAlt')}</div>
          <div className="login-brand-console">{t('app.console')}</div>
        </div>
        <div className="login-card">
          <Typography.Title level={3} className="login-title">
            {t('login.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" className="login-subtitle">
            {t('login.subtitle')}
          </Typography.Paragraph>
          {challenge ? <SecondFactorStep challenge={challenge} onCancel={() => setChallenge(null)} /> : null}
          {expired && !shown && !challenge ? <Alert type="warning" showIcon className="login-alert" title={t('error.sessionExpired')} /> : null}
          {shown ? (
            <Alert
              type="error"
              showIcon
              className="login-alert"
              data-testid="login-error"
              role="alert"
              title={shown.title}
              description={shown.description}
            />
          ) : null}
          <Form<LoginForm> hidden={challenge !== null} form={form} layout="vertical" size="large" onFinish={(v) => void onFinish(v)} requiredMark={false} autoComplete="on">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} placeholder={t('login.username')} />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={256} placeholder={t('login.password')} />
            </Form.Item>
            {captcha ? (
              <Form.Item label={t('login.captcha')} required={false}>
                <div className="login-captcha">
                  <Form.Item name="captchaAnswer" noStyle rules={[{ required: true, whitespace: true, message: t('login.captchaRequired') }]}>
                    <Input prefix={<SafetyOutlined />} autoComplete="off" maxLength={16} placeholder={t('login.captcha')} aria-label={t('login.captcha')} />
                  </Form.Item>
                  <img className="login-captcha-image" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(captcha.svg)}`} alt={t('login.captchaImage')} data-testid="login-captcha" />
                  <Button icon={<ReloadOutlined />} onClick={() => void loadCaptcha()} aria-label={t('login.captchaRefresh')} title={t('login.captchaRefresh')} />
                </div>
              </Form.Item>
            ) : null}
            <Form.Item className="login-submit">
              <Button type="primary" htmlType="submit" block loading={submitting}>
                {t('login.submit')}
              </Button>
            </Form.Item>
          </Form>
          <div className="login-notice">
            <SafetyCertificateOutlined /> {t('login.notice')}
          </div>
        </div>
      </div>
      <div className="login-footer">{t('app.footer')}</div>
    </div>
  );
}
