// Messages for placement's errors (issue 10 §3): code → zh-CN and English.
import { defineErrors } from '../../../shared/errors.ts';

export const placementErrors = defineErrors({
  'cloud.unknown_host': { zh: '宿主机不存在或您无权查看', en: 'No such host that you may see' },
  'cloud.placement_out_of_scope': { zh: '调度策略作用于整个资源池，须由管理全部机房的人员修改', en: 'The placement policy governs the whole pool: only someone managing every room may change it' },
});
