// Public face of the calendar module.
export { calendarModule } from './module.ts';
export { CalendarService, COVERAGE_WARNING_DAYS, type CalendarStatus, type CalendarYear, type CoverageAlert } from './service.ts';
export { isRestDaySql } from './repository.ts';
export { parseScheduleText, validateSchedule, type ScheduleInput, type ScheduleEntry } from './schedule-file.ts';
export { WorkingCalendar, type WorkingDayResult, type WorkingDayCount, type YearSchedule, type ScheduledDay } from './working-calendar.ts';
export { shippedSchedules } from './shipped.ts';
