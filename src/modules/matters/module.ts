// Manifest of the other supervised matters (行政处罚, 执法案件, 公共资源交易, 阳光村务, 重点项目): built with issue 9.
import { defineModule } from '../../platform/module.ts';

export const mattersModule = defineModule({ name: 'matters' });
