// HTTP routes of the cloud inventory (issue 10 §1): thin handlers over CloudService.
import type { App } from '../../http/types.ts';
import type { CloudService } from './service.ts';

export function cloudRoutes(_app: App, _service: CloudService): void {
  // filled by the inventory work (rooms, hosts, pools, zones, business systems, VMs, quotas, consolidation)
}
