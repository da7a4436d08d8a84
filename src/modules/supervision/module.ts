// Manifest of electronic supervision (电子监察): the contract's warning table; rules, orders and the cockpit come with issue 9's build.
import { defineModule } from '../../platform/module.ts';
import * as warnings from './migrations/20261128T0920_supervision_warnings.ts';
import './tables.ts';

export const supervisionModule = defineModule({
  name: 'supervision',
  migrations: { '20261128T0920_supervision_warnings': warnings },
});
