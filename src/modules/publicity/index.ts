// Public face of the public channels (issue 9 §7).
export { publicityModule } from './module.ts';
