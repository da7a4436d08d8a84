// Form pieces the portal's forms share: the mobile number, the SMS code with its send button, and error sentences.
import { useEffect, useState } from 'react';
import { Button, Form, Input, Space, type FormInstance } from 'antd';
import { MobileOutlined, SafetyOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/index.ts';
import { useI18n } from '../../context.tsx';
import { citizenApi, type CodePurpose } from './api.ts';
import { CN_MOBILE_PATTERN } from './idNumber.ts';
import { usePortalText } from './messages.ts';

const MOBILE = new RegExp(CN_MOBILE_PATTERN);

/** A sentence for an API error: the portal's own for the codes it words (with tries left), else the error catalogue's. */
export function useErrorText(): (err: unknown) => string {
  const { problem: catalogue } = useI18n();
  const { problem } = usePortalText();
  return (err) => (isApiError(err) ? problem(err.code, { n: err.remainingAttempts ?? 0 }) : null) ?? catalogue(err);
}

/** Puts a problem that names a field of the form next to that field; true when it did. */
export function showOnField(form: FormInstance, err: unknown, text: string): boolean {
  if (!isApiError(err) || !err.field || form.getFieldInstance(err.field) === undefined) return false;
  form.setFields([{ name: err.field, errors: [text] }]);
  return true;
}

export function PhoneField({ name = 'phone', label }: { name?: string; label?: string }) {
  const { p } = usePortalText();
  return (
    <Form.Item name={name} label={label ?? p('portal.phone')} rules={[{ required: true, pattern: MOBILE, message: p('portal.phoneInvalid') }]}>
      <Input prefix={<MobileOutlined />} inputMode="numeric" autoComplete="tel" maxLength={11} placeholder={p('portal.phone')} />
    </Form.Item>
  );
}

/** The code input and a button that sends a code to the form's phone field, then counts down a minute. */
export function CodeField({ form, purpose, phoneField = 'phone', onError }: { form: FormInstance; purpose: CodePurpose; phoneField?: string; onError: (err: unknown) => void }) {
  const { p } = usePortalText();
  const errorText = useErrorText();
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((n) => n - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const send = async () => {
    try {
      await form.validateFields([phoneField]);
    } catch {
      return;
    }
    setSending(true);
    try {
      const sent = await citizenApi.requestCode(form.getFieldValue(phoneField) as string, purpose);
      setSentTo(sent.phoneMasked);
      setWait(sent.resendAfterSeconds);
    } catch (err) {
      if (!showOnField(form, err, errorText(err))) onError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Form.Item label={p('portal.code')} required extra={sentTo ? <span data-testid="code-sent">{p('portal.codeSent', { phone: sentTo })}</span> : undefined}>
      <Space.Compact block>
        <Form.Item name="code" noStyle rules={[{ required: true, pattern: /^\d{6}$/, message: p('portal.codeInvalid') }]}>
          <Input prefix={<SafetyOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder={p('portal.code')} aria-label={p('portal.code')} />
        </Form.Item>
        <Button onClick={() => void send()} loading={sending} disabled={wait > 0} data-testid="send-code">
          {wait > 0 ? p('portal.resendIn', { n: wait }) : p('portal.sendCode')}
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}
