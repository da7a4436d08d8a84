// HTTP routes of placement (issue 10 §3): the placement view, the policy, the host-failure simulation.
import type { App } from '../../../http/types.ts';
import type { CloudService } from '../service.ts';

export function placementRoutes(_app: App, _service: CloudService): void {
  // filled by the placement work
}
