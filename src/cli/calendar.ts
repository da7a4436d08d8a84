// `govcloud calendar add DATE N` and `govcloud calendar load FILE`: the working-day calendar from the command line.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { systemClock } from '../platform/clock.ts';
import { UsageError } from './prompt.ts';

type WithDatabase = <T>(fn: (handle: { db: Kysely<Database> }) => Promise<T>) => Promise<T>;

async function calendarService(db: Kysely<Database>) {
  const [{ CalendarService }, { AuditService }] = await Promise.all([import('../modules/calendar/index.ts'), import('../modules/audit/index.ts')]);
  const service = new CalendarService(db, new AuditService(db), systemClock);
  await service.refresh();
  return service;
}

export function calendarCommands(program: Command, withDatabase: WithDatabase): void {
  const calendar = program.command('calendar').description('Working-day calendar (法定节假日与调休)');
  calendar
    .command('add')
    .argument('<date>', 'start date, YYYY-MM-DD')
    .argument('<n>', 'working days to add (counting from the next day); negative counts back')
    .description('Print the date N working days after DATE, followed by "provisional" when it reached past the loaded years')
    .action(async (date: string, n: string) => {
      if (!/^-?\d{1,5}$/.test(n)) throw new UsageError(`N must be a whole number of working days, not "${n}"`);
      await withDatabase(async ({ db }) => {
        const service = await calendarService(db);
        const result = service.addWorkingDays(date, Number(n));
        await service.flushAlerts();
        process.stdout.write(`${result.date}${result.provisional ? ' provisional' : ''}\n`);
      });
    });
  calendar
    .command('load')
    .argument('<file>', 'a year’s schedule: JSON {year, holidays, workdays} or CSV date,kind,name (docs/calendar.md)')
    .option('--replace', 'replace a year that is loaded already (a correction)')
    .description('Load a year’s holidays and make-up workdays (audited)')
    .action(async (file: string, opts: { replace?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const { parseScheduleText } = await import('../modules/calendar/index.ts');
      const input = parseScheduleText(text);
      await withDatabase(async ({ db }) => {
        const loaded = await (await calendarService(db)).loadAsOperator(input, { replace: opts.replace === true });
        process.stdout.write(`Loaded ${loaded.year}: ${loaded.holidays} holidays and ${loaded.workdays} make-up workdays.\n`);
      });
    });
}
