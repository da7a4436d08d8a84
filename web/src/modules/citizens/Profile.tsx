// The signed-in citizen's own record: masked identity, a new mobile number (with a code), a new password, sign-out.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Collapse, Descriptions, Form, Input } from 'antd';
import { LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { formatDateTime } from '../../format.ts';
import { citizenApi, type CitizenProfile } from './api.ts';
import { CodeField, PhoneField, showOnField, useErrorText } from './fields.tsx';
import { usePortalText } from './messages.ts';

function ChangePhone({ onChanged }: { onChanged: (profile: CitizenProfile) => void }) {
  const { p } = usePortalText();
  const errorText = useErrorText();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (values: { phone: string; code: string }) => {
    setFailure(null);
    try {
      onChanged(await citizenApi.changePhone(values.phone, values.code));
      form.resetFields();
      void message.success(p('portal.phoneChanged'));
    } catch (err) {
      if (!showOnField(form, err, errorText(err))) setFailure(err);
    }
  };
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
      {failure ? <Alert type="error" showIcon className="login-alert" role="alert" title={errorText(failure)} /> : null}
      <PhoneField label={p('portal.newPhone')} />
      <CodeField form={form} purpose="change_phone" onError={setFailure} />
      <Button type="primary" htmlType="submit">
        {p('portal.save')}
      </Button>
    </Form>
  );
}

function ChangePassword() {
  const { p } = usePortalText();
  const errorText = useErrorText();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string }>();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = async (values: { currentPassword: string; newPassword: string }) => {
    setFailure(null);
    try {
      await citizenApi.changePassword(values.currentPassword, values.newPassword);
      form.resetFields();
      void message.success(p('portal.passwordChanged'));
    } catch (err) {
      if (!showOnField(form, err, errorText(err))) setFailure(err);
    }
  };
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
      {failure ? <Alert type="error" showIcon className="login-alert" role="alert" title={errorText(failure)} /> : null}
      <Form.Item name="currentPassword" label={p('portal.currentPassword')} rules={[{ required: true, message: p('portal.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} />
      </Form.Item>
      <Form.Item name="newPassword" label={p('portal.newPassword')} extra={p('portal.passwordHint')} rules={[{ required: true, message: p('portal.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {p('portal.save')}
      </Button>
    </Form>
  );
}

export function Profile({ profile, onChanged, onSignedOut }: { profile: CitizenProfile; onChanged: (profile: CitizenProfile) => void; onSignedOut: () => void }) {
  const { p } = usePortalText();
  const [leaving, setLeaving] = useState(false);
  const signOut = async () => {
    setLeaving(true);
    await citizenApi.signOut().catch(() => undefined);
    onSignedOut();
  };
  return (
    <div data-testid="citizen-profile">
      <Descriptions column={1} size="small" bordered title={p('portal.me')}>
        <Descriptions.Item label={p('portal.name')}>
          <span data-testid="profile-name">{profile.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label={p('portal.idMasked')}>
          <span className="muted-mono" data-testid="profile-id">{profile.idNumberMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={p('portal.phoneMasked')}>
          <span className="muted-mono" data-testid="profile-phone">{profile.phoneMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={p('portal.registeredAt')}>{formatDateTime(profile.registeredAt)}</Descriptions.Item>
      </Descriptions>
      <Collapse
        className="citizen-actions"
        items={[
          { key: 'phone', label: p('portal.changePhone'), children: <ChangePhone onChanged={onChanged} /> },
          { key: 'password', label: p('portal.changePassword'), children: <ChangePassword /> },
        ]}
      />
      <Button block icon={<LogoutOutlined />} loading={leaving} onClick={() => void signOut()} className="citizen-sign-out">
        {p('portal.signOut')}
      </Button>
    </div>
  );
}
