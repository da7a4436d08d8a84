// The one list of modules beyond the core. Adding a module is a new folder under src/modules/ plus one line here.
import type { ModuleManifest } from '../platform/module.ts';
import { accessModule } from './access/index.ts';

const registered = [accessModule] as const;

/** Every registered module, in order: a module's service factory sees the services of the modules before it. */
export const modules: readonly ModuleManifest<string, unknown>[] = registered;

/** The service each registered module builds, keyed by module name. */
export type ModuleServices = {
  [M in (typeof registered)[number] as M extends ModuleManifest<infer N, unknown> ? N : never]: M extends ModuleManifest<string, infer S> ? S : never;
};
