// The SMS console module: sending history, templates, the opt-out register and the demo inbox.
import { lazy } from 'react';
import { MessageOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/sms/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const sms: ConsoleModule<typeof zh> = {
  name: 'sms',
  messages: { zh, en },
  routes: [{ path: '/sms', permission: 'sms.read', label: 'nav.sms', icon: <MessageOutlined />, component: lazy(() => import('./SmsPage.tsx')) }],
};

export default sms;
