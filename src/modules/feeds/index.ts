// Public face of the feeds module.
export { feedsModule } from './module.ts';
