// Every error code the server raises, with its zh-CN and English message: the core's and each module's catalogue.
// A module adds its `errors.ts` here (one line). Pure data: the console imports it to show the messages.
import { coreErrors } from '../shared/error-codes.ts';
import type { ErrorMessage } from '../shared/errors.ts';
import { accessErrors } from './access/errors.ts';
import { accountErrors } from './accounts/errors.ts';
import { auditErrors } from './audit/errors.ts';
import { calendarErrors } from './calendar/errors.ts';
import { catalogueErrors } from './catalogue/errors.ts';
import { citizenErrors } from './citizens/errors.ts';
import { datasetErrors } from './datasets/errors.ts';
import { departmentErrors } from './departments/errors.ts';
import { exchangeErrors } from './exchange/errors.ts';
import { fileErrors } from './files/errors.ts';
import { feedsErrors } from './feeds/errors.ts';
import { inboxErrors } from './inbox/errors.ts';
import { jobErrors } from './jobs/errors.ts';
import { regionErrors } from './regions/errors.ts';
import { smsErrors } from './sms/errors.ts';
import { sharingErrors } from './sharing/errors.ts';
import { trackerErrors } from './tracker/errors.ts';
import { qualityErrors } from './quality/errors.ts';
import { residentErrors } from './residents/errors.ts';
import { communityErrors } from './community/errors.ts';
import { profileErrors } from './profiles/errors.ts';
import { noticesErrors } from './notices/errors.ts';
import { publicityErrors } from './publicity/errors.ts';
import { gridworkErrors } from './gridwork/errors.ts';
import { oaErrors } from './oa/errors.ts';
import { approvalErrors } from './approval/errors.ts';
import { hypervisorErrors } from './hypervisor/errors.ts';
import { cloudErrors } from './cloud/errors.ts';
import { meteringErrors } from './metering/errors.ts';
import { selfserviceErrors } from './selfservice/errors.ts';
import { placementErrors } from './cloud/placement/errors.ts';
import { supervisionErrors } from './supervision/errors.ts';
import { censusErrors } from './census/errors.ts';
import { evaluationErrors } from './evaluation/errors.ts';
import { mattersErrors } from './matters/errors.ts';
import { extranetErrors } from './extranet/errors.ts';

export const ERROR_CATALOGUES = {
  core: coreErrors,
  accounts: accountErrors,
  departments: departmentErrors,
  regions: regionErrors,
  jobs: jobErrors,
  citizens: citizenErrors,
  calendar: calendarErrors,
  inbox: inboxErrors,
  sms: smsErrors,
  access: accessErrors,
  audit: auditErrors,
  files: fileErrors,
  catalogue: catalogueErrors,
  sharing: sharingErrors,
  exchange: exchangeErrors,
  feeds: feedsErrors,
  tracker: trackerErrors,
  quality: qualityErrors,
  residents: residentErrors,
  profiles: profileErrors,
  datasets: datasetErrors,
  community: communityErrors,
  notices: noticesErrors,
  publicity: publicityErrors,
  gridwork: gridworkErrors,
  oa: oaErrors,
  approval: approvalErrors,
  supervision: supervisionErrors,
  census: censusErrors,
  evaluation: evaluationErrors,
  matters: mattersErrors,
  cloud: cloudErrors,
  extranet: extranetErrors,
  metering: meteringErrors,
  selfservice: selfserviceErrors,
  cloudPlacement: placementErrors,
  hypervisor: hypervisorErrors,
} as const;

type Catalogues = typeof ERROR_CATALOGUES;
export type ErrorCode = { [K in keyof Catalogues]: keyof Catalogues[K] & string }[keyof Catalogues];

/** All catalogues in one map (a code listed twice is a bug the catalogue test reports). */
export const ERROR_MESSAGES: Readonly<Record<string, ErrorMessage>> = Object.assign({}, ...Object.values(ERROR_CATALOGUES));

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_MESSAGES, code);
}

/** The message for a code in a language, or undefined for a code no catalogue lists. */
export function errorMessage(code: string, lang: 'zh-CN' | 'en-US'): string | undefined {
  const entry = isErrorCode(code) ? ERROR_MESSAGES[code] : undefined;
  return entry ? (lang === 'zh-CN' ? entry.zh : entry.en) : undefined;
}
