// Manifest of the datasets module: validated atomic loads (files or pushed rows) and the rows they write.
import { defineModule } from '../../platform/module.ts';
import * as loadsRows from './migrations/20261127T1410_datasets_loads_rows.ts';
import './tables.ts';

export const datasetsModule = defineModule({
  name: 'datasets',
  migrations: { '20261127T1410_datasets_loads_rows': loadsRows },
});
