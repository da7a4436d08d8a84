// Messages for the self-service module's errors: code → zh-CN and English (the cloud.* codes it also raises are in
// the cloud module's catalogue).
import { defineErrors } from '../../shared/errors.ts';

export const selfserviceErrors = defineErrors({
  'selfservice.not_found': { zh: '申请不存在或您无权查看', en: 'No such request that you may see' },
  'selfservice.invalid_transition': { zh: '申请当前状态不允许该操作', en: 'The request’s state does not allow this step' },
  'selfservice.disk_too_small': { zh: '系统盘小于镜像要求的最小容量', en: 'The disk is smaller than the image requires' },
  'selfservice.unknown_zone': { zh: '网络区域不存在', en: 'No such network zone' },
  'selfservice.unknown_business_system': { zh: '业务系统不存在或不属于本部门', en: 'No such business system of your department' },
  'selfservice.no_department': { zh: '您的账号不属于任何部门，不能申请云资源', en: 'Your account belongs to no department: it cannot request cloud resources' },
  'selfservice.note_required': { zh: '驳回时请填写意见', en: 'Give a note when rejecting' },
  'selfservice.not_requester': { zh: '只有申请人本人可以撤销申请', en: 'Only the requester may cancel the request' },
  'selfservice.vm_busy': { zh: '该虚拟机已有未完成的申请', en: 'The VM has an open request already' },
  'selfservice.same_flavour': { zh: '新规格与当前规格相同', en: 'The new flavour is the VM’s present shape' },
  'selfservice.disk_shrink': { zh: '磁盘只能扩容，不能小于当前容量', en: 'A disk only grows: the new size is below the present one' },
  'selfservice.nothing_to_change': { zh: '请选择新规格或填写更大的磁盘容量', en: 'Choose a new flavour or a larger disk' },
});
