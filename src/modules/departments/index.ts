// Public face of the departments module.
export { DepartmentService, type Department, type NewDepartment, type DepartmentPatch, type DepartmentQuery } from './service.ts';
export { departmentRoutes } from './routes.ts';
export { validateCreditCode, creditCodeFor, creditCodeCheckChar, organisationCodeFor, CREDIT_CODE_REGISTRATION, type CreditCodeCheck } from '../../shared/validators/credit-code.ts';
export { DEPARTMENT_KINDS, DEPARTMENT_KIND_LABELS, isDepartmentKind, type DepartmentKind } from './kinds.ts';
export type { DepartmentRecord } from './batch.ts';
export { findDepartment, findDepartments, ancestorIds, descendantIds } from './repository.ts';
