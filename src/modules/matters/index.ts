// Public face of the other supervised matters (issue 9 §5).
export { mattersModule } from './module.ts';
