// Manifest of 我的待办: merges the core's provider (accounts) and every registered module's `todo` provider.
import { accountsTodoProvider } from '../accounts/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { defineModule, type TodoProvider } from '../../platform/module.ts';
import { todoRoutes } from './routes.ts';
import { TodoService } from './service.ts';

export const todoModule = defineModule({
  name: 'todo',
  createService: (deps) => {
    let providers: Promise<TodoProvider[]> | undefined;
    // The registry lists this module, so it is imported when the first to-do request comes, not at load (a cycle).
    return new TodoService(() =>
      (providers ??= import('../registry.ts').then(({ modules }) => {
        const calendar = deps.services.calendar as CalendarService;
        return [
          accountsTodoProvider({ db: deps.db, clock: deps.clock, addWorkingDays: (date, n) => calendar.addWorkingDays(date, n) }),
          ...modules.flatMap((m) => (m.todo ? [m.todo({ ...deps, service: deps.services[m.name] })] : [])),
        ];
      })),
    );
  },
  routes: (app, services) => todoRoutes(app, services.todo as TodoService),
});
