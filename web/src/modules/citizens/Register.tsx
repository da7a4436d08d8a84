// Registration: name, ID number (checked here as the server checks it), mobile number confirmed by an SMS code, password.
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { IdcardOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { checkPassword } from '../../validation.ts';
import { citizenApi, type CitizenProfile } from './api.ts';
import { CodeField, PhoneField, showOnField, useErrorText } from './fields.tsx';
import { idNumberProblem } from './idNumber.ts';
import { usePortalText } from './messages.ts';

interface RegisterForm {
  name: string;
  idNumber: string;
  phone: string;
  code: string;
  password: string;
}

const ID_MESSAGES = { format: 'portal.idFormat', check_digit: 'portal.idCheck', birth_date: 'portal.idBirth', region: 'portal.idRegion' } as const;

export function Register({ onRegistered }: { onRegistered: (profile: CitizenProfile) => void }) {
  const { t } = useI18n();
  const { p } = usePortalText();
  const errorText = useErrorText();
  const [form] = Form.useForm<RegisterForm>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: RegisterForm) => {
    setBusy(true);
    setFailure(null);
    try {
      onRegistered(await citizenApi.register({ ...values, name: values.name.trim(), idNumber: values.idNumber.trim().toUpperCase() }));
    } catch (err) {
      if (!showOnField(form, err, errorText(err))) setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" size="large" requiredMark={false} onFinish={(v) => void submit(v)} data-testid="register-form">
      {failure ? <Alert type="error" showIcon className="login-alert" role="alert" data-testid="portal-error" title={errorText(failure)} /> : null}
      <Form.Item name="name" label={p('portal.name')} rules={[{ required: true, whitespace: true, max: 50, message: p('portal.nameRequired') }]}>
        <Input prefix={<UserOutlined />} autoComplete="name" maxLength={50} placeholder={p('portal.name')} />
      </Form.Item>
      <Form.Item
        name="idNumber"
        label={p('portal.idNumber')}
        validateTrigger="onBlur"
        rules={[
          {
            validator: async (_rule, value: string | undefined) => {
              const problem = idNumberProblem(value ?? '');
              if (problem) throw new Error(p(ID_MESSAGES[problem]));
            },
          },
        ]}
      >
        <Input prefix={<IdcardOutlined />} autoComplete="off" maxLength={18} placeholder={p('portal.idNumber')} />
      </Form.Item>
      <PhoneField />
      <CodeField form={form} purpose="register" onError={setFailure} />
      <Form.Item
        name="password"
        label={p('portal.password')}
        extra={p('portal.passwordHint')}
        validateTrigger="onBlur"
        rules={[
          { required: true, message: p('portal.passwordRequired') },
          {
            validator: async (_rule, value: string | undefined) => {
              if (!value) return;
              const failed = await checkPassword(value, form.getFieldValue('phone') as string | undefined, form.getFieldValue('name') as string | undefined);
              if (failed) throw new Error(t(failed.key, failed.params));
            },
          },
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={128} placeholder={p('portal.password')} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {p('portal.register')}
      </Button>
    </Form>
  );
}
