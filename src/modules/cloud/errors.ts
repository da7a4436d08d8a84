// Messages for the cloud module's errors: code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const cloudErrors = defineErrors({
  'cloud.not_found': { zh: '资源不存在或您无权查看', en: 'No such resource that you may see' },
  'cloud.duplicate_code': { zh: '编码已存在', en: 'The code exists already' },
  'cloud.department_out_of_scope': { zh: '该部门不在您的管理范围内', en: 'The department lies outside your scope' },
  'cloud.quota_exceeded': { zh: '超出部门资源配额', en: 'The department’s quota would be exceeded' },
  'cloud.unknown_flavour': { zh: '规格不存在或已停用', en: 'No such active flavour' },
  'cloud.unknown_image': { zh: '镜像不存在或已停用', en: 'No such active image' },
  'cloud.zone_not_allowed': { zh: '本部门不能使用该网络区域', en: 'The department may not use this network zone' },
  'cloud.no_capacity': { zh: '资源池中没有满足条件的宿主机', en: 'No host in the pool can take this VM' },
  'cloud.invalid_state': { zh: '虚拟机当前状态不允许该操作', en: 'The VM’s current state does not allow this step' },
  'cloud.no_hypervisor': { zh: '宿主机未连接虚拟化平台，无法开通', en: 'The host has no hypervisor connected: nothing can be provisioned on it' },
  'cloud.stale': { zh: '数据已被他人修改，请刷新后重试', en: 'Someone changed it meanwhile; reload and retry' },
  'cloud.unknown_department': { zh: '部门不存在', en: 'No such department' },
  'cloud.unknown_room': { zh: '机房不存在', en: 'No such machine room' },
  'cloud.unknown_zone': { zh: '网络区域不存在', en: 'No such network zone' },
  'cloud.host_in_use': { zh: '宿主机上仍有虚拟机，不能删除', en: 'VMs still hold capacity on the host: it cannot be deleted' },
  'cloud.capacity_below_allocation': { zh: '容量不能低于已分配给虚拟机的资源', en: 'The capacity may not fall below what VMs hold on the host' },
  'cloud.quota_below_use': { zh: '配额不能低于部门当前已使用量', en: 'A limit may not fall below what the department uses now' },
  'cloud.in_use': { zh: '仍有虚拟机或未完成的申请在使用，不能删除', en: 'VMs or open requests still use it: it cannot be deleted' },
  'cloud.unknown_region': { zh: '行政区划不存在', en: 'No such region' },
  'cloud.system_in_use': { zh: '业务系统仍有运行中的虚拟机，不能停用', en: 'The business system still has VMs: it cannot be retired' },
});
