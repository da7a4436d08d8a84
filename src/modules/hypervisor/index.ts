// Public face of the hypervisor module (issue 10 §4): the libvirt driver, lifecycle actions and reconciliation.
export { hypervisorModule } from './module.ts';
export { HypervisorService, VM_ACTION_SETTLED_TOPIC, type ActionResult, type HostCheck, type VmActionSettled } from './service.ts';
export { connect, closeConnections, domainXml, LibvirtHypervisor, virshInstalled, type LibvirtOptions } from './libvirt.ts';
export { hypervisorConfig, type HypervisorConfig } from './config.ts';
export type { HostReconciliation, ReconcileChange } from './reconcile.ts';
