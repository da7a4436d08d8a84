// Manifest of administrative approval (事项目录, 办件, 法定时限): the contract's tables; the service comes with issue 9's build.
import { defineModule } from '../../platform/module.ts';
import * as cases from './migrations/20261128T0900_approval_cases.ts';
import './tables.ts';

export const approvalModule = defineModule({
  name: 'approval',
  migrations: { '20261128T0900_approval_cases': cases },
});
