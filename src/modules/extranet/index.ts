// Public face of the government extranet (issue 10 §6): the module, its service and the graph analysis.
export { extranetModule } from './module.ts';
export { ExtranetService } from './service.ts';
export { bridges, cutOffBy, reachable, type Edge } from './graph.ts';
export type * from './tables.ts';
