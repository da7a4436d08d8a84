// Indexes this module's columns that deleting an account checks (keys to app_user, or to a row deleted with the
// account), so each check seeks an index instead of reading the whole table (D157).
import { referenceIndexes } from '../../../db/reference-indexes.ts';

export const { up, down } = referenceIndexes({
  data_load: ['created_by'],
});
