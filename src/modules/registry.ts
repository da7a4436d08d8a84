// The one list of modules beyond the core. Adding a module is a new folder under src/modules/ plus one line here.
import type { ModuleManifest } from '../platform/module.ts';
import { jobsModule, outboxModule } from './jobs/index.ts';
import { smsModule } from './sms/index.ts';
import { citizensModule } from './citizens/index.ts';
import { calendarModule } from './calendar/index.ts';
import { inboxModule } from './inbox/index.ts';
import { todoModule } from './todo/index.ts';
import { filesModule } from './files/index.ts';
import { accessModule } from './access/index.ts';

const registered = [accessModule, jobsModule, outboxModule, smsModule, inboxModule, calendarModule, todoModule, citizensModule, filesModule] as const;

/** Every registered module, in order: a module's service factory sees the services of the modules before it. */
export const modules: readonly ModuleManifest<string, unknown>[] = registered;

/** The service each registered module builds, keyed by module name. */
export type ModuleServices = {
  [M in (typeof registered)[number] as M extends ModuleManifest<infer N, unknown> ? N : never]: M extends ModuleManifest<string, infer S> ? S : never;
};
