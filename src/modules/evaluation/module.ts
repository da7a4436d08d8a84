// Manifest of evaluation (好差评, 投诉, 月度考评): the contract's score table; ratings and complaints come with issue 9's build.
import { defineModule } from '../../platform/module.ts';
import * as scores from './migrations/20261128T0950_evaluation_scores.ts';
import './tables.ts';

export const evaluationModule = defineModule({
  name: 'evaluation',
  migrations: { '20261128T0950_evaluation_scores': scores },
});
