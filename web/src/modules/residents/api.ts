// Call of the resident 360 view (/api/residents/{idNumber}) over the generated client.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type ResidentView = ResponseOf<'/api/residents/{idNumber}', 'get'>;
export type ResidentSource = ResidentView['sources'][number];

export const residentsApi = {
  view: (idNumber: string, signal?: AbortSignal) => call(client.GET('/api/residents/{idNumber}', { params: { path: { idNumber } }, signal })),
};
