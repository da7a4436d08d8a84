// The console's modules, in menu order. A module is a folder web/src/modules/<m>/ (module.tsx with its routes,
// its pages, messages.ts) plus one line here.

import audit from './audit/module.tsx';
import calendar from './calendar/module.tsx';
import catalogue from './catalogue/module.tsx';
import dashboard from './dashboard/module.tsx';
import feeds from './feeds/module.tsx';
import datasets from './datasets/module.tsx';
import departments from './departments/module.tsx';
import exchange from './exchange/module.tsx';
import inbox from './inbox/module.tsx';
import jobs from './jobs/module.tsx';
import regions from './regions/module.tsx';
import shares from './shares/module.tsx';
import sharing from './sharing/module.tsx';
import sms from './sms/module.tsx';
import todo from './todo/module.tsx';
import users from './users/module.tsx';
import quality from './quality/module.tsx';
import tracker from './tracker/module.tsx';
import residents from './residents/module.tsx';
import community from './community/module.tsx';
import profiles from './profiles/module.tsx';
import notices from './notices/module.tsx';
import gridwork from './gridwork/module.tsx';
import oa from './oa/module.tsx';
import census from './census/module.tsx';
import approval from './approval/module.tsx';
import supervision from './supervision/module.tsx';
import matters from './matters/module.tsx';
import evaluation from './evaluation/module.tsx';
import extranet from './extranet/module.tsx';
import metering from './metering/module.tsx';
import selfservice from './selfservice/module.tsx';
import hypervisor from './hypervisor/module.tsx';
import cloud from './cloud/module.tsx';

export const CONSOLE_MODULES = [dashboard, regions, departments, users, shares, audit, jobs, todo, inbox, calendar, sms, catalogue, datasets, sharing, exchange, feeds, quality, residents, tracker, community, census, gridwork, notices, profiles, oa, approval, supervision, matters, evaluation, cloud, hypervisor, selfservice, metering, extranet] as const;

