// Client of /api/calendar over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type CalendarStatus = ResponseOf<'/api/calendar', 'get'>;
export type CalendarYear = ResponseOf<'/api/calendar/years/import', 'post'>;
export type YearDays = ResponseOf<'/api/calendar/years/{year}', 'get'>;

export const calendarApi = {
  status: (signal?: AbortSignal) => call(client.GET('/api/calendar', { signal })),
  year: (year: number, signal?: AbortSignal) => call(client.GET('/api/calendar/years/{year}', { params: { path: { year } }, signal })),
  add: (date: string, n: number) => call(client.GET('/api/calendar/add', { params: { query: { date, n } } })),
  loadText: (text: string, replace: boolean) => call(client.POST('/api/calendar/years/import', { body: { text, replace } })),
};
