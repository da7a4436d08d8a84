// Client of /api/calendar (shapes as in docs/openapi.json).
import { request } from '../../api.ts';

export interface CalendarYear {
  year: number;
  source: 'package' | 'admin';
  holidays: number;
  workdays: number;
  loadedAt: string;
}

export interface CalendarStatus {
  today: string;
  years: CalendarYear[];
  coverageEnds: string | null;
  daysLeft: number | null;
  alerts: { year: number; firstAt: string; lastAt: string; computations: number; furthest: string }[];
  canManage: boolean;
}

export interface YearDays {
  year: number;
  source: string;
  loadedAt: string;
  days: { date: string; kind: 'holiday' | 'workday'; name: string }[];
}

export const calendarApi = {
  status: (signal?: AbortSignal) => request<CalendarStatus>('GET', '/api/calendar', { signal }),
  year: (year: number, signal?: AbortSignal) => request<YearDays>('GET', `/api/calendar/years/${year}`, { signal }),
  add: (date: string, n: number) => request<{ date: string; provisional: boolean }>('GET', '/api/calendar/add', { query: { date, n } }),
  loadText: (text: string, replace: boolean) => request<CalendarYear>('POST', '/api/calendar/years/import', { body: { text, replace } }),
};
