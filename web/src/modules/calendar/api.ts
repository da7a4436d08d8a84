// Client of /api/calendar; the shapes are the server's schemas (type-only import).
import { request } from '../../api.ts';
import type { CalendarStatus, CalendarYear, YearDays } from '../../../../src/modules/calendar/schema.ts';

export type { CalendarStatus, CalendarYear, YearDays };

export const calendarApi = {
  status: (signal?: AbortSignal) => request<CalendarStatus>('GET', '/api/calendar', { signal }),
  year: (year: number, signal?: AbortSignal) => request<YearDays>('GET', `/api/calendar/years/${year}`, { signal }),
  add: (date: string, n: number) => request<{ date: string; provisional: boolean }>('GET', '/api/calendar/add', { query: { date, n } }),
  loadText: (text: string, replace: boolean) => request<CalendarYear>('POST', '/api/calendar/years/import', { body: { text, replace } }),
};
