// Indexes this module's columns that deleting an account checks (keys to app_user, or to a row deleted with the
// account), so each check seeks an index instead of reading the whole table (D157).
import { referenceIndexes } from '../../../db/reference-indexes.ts';

export const { up, down } = referenceIndexes({
  client_app: ['created_by'],
  data_grant: ['covert_marked_by'],
  sharing_request: ['created_by', 'decided_by', 'conditional_share_id', 'unconditional_share_id'],
});
