// The working-day calendar console module (工作日历): years, days, the deadline calculator and the load form.
import { lazy } from 'react';
import { CalendarOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/calendar/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const calendar: ConsoleModule<typeof zh> = {
  name: 'calendar',
  messages: { zh, en },
  routes: [{ path: '/calendar', permission: 'calendar.read', label: 'nav.calendar', icon: <CalendarOutlined />, component: lazy(() => import('./CalendarPage.tsx')) }],
};

export default calendar;
