// Public face of the todo module.
export { todoModule } from './module.ts';
export { TodoService } from './service.ts';
