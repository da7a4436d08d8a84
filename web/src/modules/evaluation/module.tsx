// The evaluation console module (电子监察): 好差评 with the follow-up of bad ratings, the complaints workbench, monthly
// scores with their parts and trend, and the ranking by month and county with XLSX export. The citizen pages
// (/citizen/rate/:caseId, /citizen/complaints) are mounted by App.tsx inside the portal (CitizenEvaluation.tsx).
import { lazy } from 'react';
import { LineChartOutlined, MessageOutlined, PhoneOutlined, StarOutlined, TrophyOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/evaluation/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const evaluation: ConsoleModule<typeof zh> = {
  name: 'evaluation',
  messages: { zh, en },
  routes: [
    { path: '/evaluation/ratings', permission: 'evaluation.read', label: 'nav.evaluation.ratings', group: 'nav.group.supervision', icon: <StarOutlined />, component: lazy(() => import('./RatingsPage.tsx')) },
    { path: '/evaluation/follow-ups', permission: 'evaluation.follow_up', label: 'nav.evaluation.followUps', group: 'nav.group.supervision', icon: <PhoneOutlined />, component: lazy(() => import('./FollowUpsPage.tsx')) },
    { path: '/evaluation/complaints', permission: 'evaluation.read', label: 'nav.evaluation.complaints', group: 'nav.group.supervision', icon: <MessageOutlined />, component: lazy(() => import('./ComplaintsPage.tsx')) },
    { path: '/evaluation/scores', permission: 'evaluation.read', label: 'nav.evaluation.scores', group: 'nav.group.supervision', icon: <LineChartOutlined />, component: lazy(() => import('./ScoresPage.tsx')) },
    { path: '/evaluation/ranking', permission: 'evaluation.read', label: 'nav.evaluation.ranking', group: 'nav.group.supervision', icon: <TrophyOutlined />, component: lazy(() => import('./RankingPage.tsx')) },
  ],
};

export default evaluation;
