// Messages for the hypervisor module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const hypervisorErrors = defineErrors({
  'hypervisor.unreachable': { zh: '无法连接虚拟化平台（libvirt 守护进程未运行或地址不可达）', en: 'The hypervisor cannot be reached (libvirt daemon down or URI unreachable)' },
  'hypervisor.domain_exists': { zh: '宿主机上已存在同名虚拟机', en: 'A domain of that name exists already on the host' },
  'hypervisor.no_domain': { zh: '宿主机上不存在该虚拟机', en: 'No such domain on the host' },
  'hypervisor.invalid_state': { zh: '虚拟机在虚拟化平台上的状态不允许该操作', en: 'The domain’s state on the hypervisor does not allow this' },
  'hypervisor.failed': { zh: '虚拟化平台操作失败', en: 'The hypervisor operation failed' },
});
