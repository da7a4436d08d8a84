// Request and response schemas of the calendar routes.
// Type-only imports of these types are how the console (web/src/modules/calendar/api.ts) shares them: keep this file
// free of anything but typebox and pure constants.
import { Type, type Static } from 'typebox';
import { FIRST_YEAR, LAST_YEAR } from './working-calendar.ts';

export const MAX_NAME_LENGTH = 32;

const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });
const Year = Type.Integer({ minimum: FIRST_YEAR, maximum: LAST_YEAR });
const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'The festival, e.g. 春节' });

export const CalendarYearSchema = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('package'), Type.Literal('admin')], { description: 'package: shipped with chinese-days; admin: loaded by an administrator' }),
  holidays: Type.Integer(),
  workdays: Type.Integer(),
  loadedAt: Type.String({ format: 'date-time' }),
});

export const CalendarStatusSchema = Type.Object({
  today: IsoDate,
  years: Type.Array(CalendarYearSchema),
  coverageEnds: Type.Union([IsoDate, Type.Null()], { description: 'Computations beyond this day are provisional' }),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
  endingSoon: Type.Boolean({ description: 'The loaded years end within 60 days (or none is loaded): time to load the next' }),
  alerts: Type.Array(
    Type.Object({
      year: Type.Integer(),
      firstAt: Type.String({ format: 'date-time' }),
      lastAt: Type.String({ format: 'date-time' }),
      computations: Type.Integer(),
      furthest: IsoDate,
    }),
    { description: 'Years computations reached without a loaded schedule (shown to those who may load one)' },
  ),
  canManage: Type.Boolean(),
});

export type CalendarYear = Static<typeof CalendarYearSchema>;
export type CalendarStatus = Static<typeof CalendarStatusSchema>;
export type CoverageAlert = CalendarStatus['alerts'][number];
export type YearDays = Static<typeof YearDaysSchema>;

export const YearDaysSchema = Type.Object({
  year: Type.Integer(),
  source: Type.String(),
  loadedAt: Type.String({ format: 'date-time' }),
  days: Type.Array(Type.Object({ date: IsoDate, kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String() })),
});

const Entry = Type.Object(
  {
    date: Type.Optional(IsoDate),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    name: Name,
  },
  { additionalProperties: false, description: 'One day (date) or, for holidays, an inclusive range (from, to)' },
);

export const ScheduleBody = Type.Object(
  {
    year: Year,
    holidays: Type.Array(Entry, { minItems: 1, maxItems: 400 }),
    workdays: Type.Array(Entry, { maxItems: 100 }),
    replace: Type.Optional(Type.Boolean({ description: 'Replace a year already loaded (a correction)' })),
  },
  { additionalProperties: false },
);

export const ScheduleTextBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 60_000, description: 'A schedule file: JSON ({year, holidays, workdays}) or CSV (date,kind,name)' }),
    replace: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ComputeQuery = Type.Object({ date: IsoDate, n: Type.Integer({ minimum: -10_000, maximum: 10_000 }) }, { additionalProperties: false });

export const ComputeResult = Type.Object({ date: IsoDate, provisional: Type.Boolean() });
