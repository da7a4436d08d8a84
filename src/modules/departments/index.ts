// Public face of the departments module.
export { findDepartment } from './repository.ts';
