// The catalogue of audit actions: every action code the platform records, with its zh-CN and English label.
// A test enumerates the codes recorded in the source and fails on one missing here.

export interface ActionLabel {
  zh: string;
  en: string;
}

interface ActionEntry extends ActionLabel {
  /** A read of personal data: after-hours occurrences are raised as alerts. */
  personalDataRead?: boolean;
}

export const ACTIONS: Readonly<Record<string, ActionEntry>> = {
  'auth.login': { zh: '登录', en: 'Sign-in' },
  'auth.logout': { zh: '退出登录', en: 'Sign-out' },
  'auth.password_change': { zh: '修改本人密码', en: 'Own password change' },
  'auth.second_factor': { zh: '短信验证码登录验证', en: 'Sign-in code check' },
  'auth.second_factor_sent': { zh: '发送登录验证码', en: 'Sign-in code sent' },
  'auth.second_factor_resent': { zh: '重发登录验证码', en: 'Sign-in code resent' },
  'token.create': { zh: '创建 API 令牌', en: 'API token created' },
  'token.revoke': { zh: '吊销 API 令牌', en: 'API token revoked' },
  'user.list': { zh: '查询用户列表', en: 'User directory read', personalDataRead: true },
  'user.read': { zh: '查看用户信息', en: 'User record read', personalDataRead: true },
  'user.create': { zh: '新建用户', en: 'User created' },
  'user.create_many': { zh: '批量新建用户', en: 'Users created in bulk' },
  'user.update': { zh: '修改用户', en: 'User updated' },
  'user.disable': { zh: '停用用户', en: 'User disabled' },
  'user.activate': { zh: '激活用户', en: 'User activated' },
  'user.reset_password': { zh: '重置用户密码', en: 'User password reset' },
  'user.unlock': { zh: '解锁用户', en: 'User unlocked' },
  'user.grant': { zh: '授予角色', en: 'Role granted' },
  'user.revoke_grant': { zh: '撤销角色', en: 'Role revoked' },
  'department.create': { zh: '新建部门', en: 'Department created' },
  'department.create_many': { zh: '批量新建部门', en: 'Departments created in bulk' },
  'department.update': { zh: '修改部门', en: 'Department updated' },
  'catalogue.resource_create': { zh: '新建目录资源', en: 'Catalogue resource created' },
  'catalogue.resource_update': { zh: '修改目录资源', en: 'Catalogue resource updated' },
  'catalogue.resource_publish': { zh: '发布目录资源', en: 'Catalogue resource published' },
  'catalogue.resource_withdraw': { zh: '撤回目录资源', en: 'Catalogue resource withdrawn' },
  'catalogue.demand_create': { zh: '登记数据需求', en: 'Data demand registered' },
  'catalogue.demand_match': { zh: '匹配数据需求', en: 'Data demand matched' },
  'catalogue.demand_close': { zh: '关闭数据需求', en: 'Data demand closed' },
  'region.rename': { zh: '区划更名', en: 'Region renamed' },
  'region.merge': { zh: '区划合并', en: 'Region merged' },
  'region.retire': { zh: '区划撤销', en: 'Region retired' },
  'audit.list': { zh: '查阅审计日志', en: 'Audit log read', personalDataRead: true },
  'audit.export': { zh: '导出审计日志', en: 'Audit log exported', personalDataRead: true },
  'audit.alerts': { zh: '查看审计告警', en: 'Audit alerts read', personalDataRead: true },
  'audit.verify': { zh: '校验审计链', en: 'Audit chain verified' },
  'job.retry': { zh: '重试后台任务', en: 'Background job retried' },
  'citizen.code_sent': { zh: '发送公众短信验证码', en: 'Citizen SMS code sent' },
  'citizen.register': { zh: '公众注册账号', en: 'Citizen registered' },
  'citizen.phone_change': { zh: '公众更换手机号', en: 'Citizen mobile number changed' },
  'audit.access_batch': { zh: '个人信息访问日志批次', en: 'Personal-data access log batch' },
  'audit.checkpoint': { zh: '审计链签名检查点', en: 'Audit chain checkpoint signed' },
  'file.upload': { zh: '上传文件', en: 'File uploaded' },
  'personal_data.read': { zh: '查看个人敏感信息', en: 'Personal data read (unmasked)', personalDataRead: true },
  'share.create': { zh: '创建数据共享授权', en: 'Share grant created' },
  'share.revoke': { zh: '撤销数据共享授权', en: 'Share grant revoked' },
  'seed.demo': { zh: '导入演示数据', en: 'Demo data seeded' },
  'calendar.load': { zh: '载入节假日安排', en: 'Holiday schedule loaded' },
  'calendar.ship': { zh: '载入内置节假日安排', en: 'Shipped holiday schedules loaded' },
  'inbox.mark_read': { zh: '站内信标为已读', en: 'Message marked read' },
  'inbox.mark_all_read': { zh: '站内信全部标为已读', en: 'All messages marked read' },
  'sms.send': { zh: '发送短信', en: 'SMS sent' },
  'sms.history': { zh: '查阅短信发送记录', en: 'SMS history read', personalDataRead: true },
  'sms.inbox': { zh: '查看演示短信收件箱', en: 'Demo SMS inbox read', personalDataRead: true },
  'sms.template_save': { zh: '保存短信模板', en: 'SMS template saved' },
  'sms.template_delete': { zh: '删除短信模板', en: 'SMS template deleted' },
  'sms.opt_out': { zh: '短信退订', en: 'SMS opt-out' },
  'sms.opt_in': { zh: '取消短信退订', en: 'SMS opt-out withdrawn' },
  'notices.template_create': { zh: '新建通知模板', en: 'Notice template created' },
  'notices.template_update': { zh: '修改通知模板', en: 'Notice template changed' },
  'notices.template_delete': { zh: '删除通知模板', en: 'Notice template deleted' },
  'notices.create': { zh: '起草定向通知', en: 'Notice drafted' },
  'notices.send': { zh: '发送定向通知', en: 'Notice sent' },
  'tracker.covert_mark': { zh: '标记隐蔽调查授权', en: 'Data grant marked covert' },
  'tracker.covert_unmark': { zh: '取消隐蔽调查标记', en: 'Covert marking lifted' },
  'community.resident_register': { zh: '登记居民', en: 'Resident registered' },
  'community.resident_import': { zh: '导入居民', en: 'Residents imported' },
  'community.building_edit': { zh: '修改楼栋信息', en: 'Building edited' },
  'community.resident_import_file': { zh: '从文件导入居民', en: 'Residents imported from a file' },
  'community.household_import_file': { zh: '从文件导入户籍', en: 'Households imported from a file' },
  'community.population_pull': { zh: '申请从人口资源导入居民', en: 'Pull of residents from a population resource requested' },
  'community.population_pull_commit': { zh: '从人口资源导入居民', en: 'Residents pulled from a population resource' },
  'community.resident_edit': { zh: '修改居民信息', en: 'Resident edited' },
  'community.resident_move': { zh: '居民迁往其他社区', en: 'Resident moved to another community' },
  'community.resident_move_out': { zh: '居民迁出', en: 'Resident moved out' },
  'community.resident_deceased': { zh: '登记居民死亡', en: 'Resident recorded deceased' },
  'community.resident_export': { zh: '导出居民名单', en: 'Resident list exported', personalDataRead: true },
  'community.grid_create': { zh: '新建网格', en: 'Grid created' },
  'community.grid_rename': { zh: '重命名网格', en: 'Grid renamed' },
  'community.grid_assign': { zh: '指派网格员', en: 'Grid worker assigned' },
  'community.grid_unassign': { zh: '撤销网格员指派', en: 'Grid worker unassigned' },
  'community.building_create': { zh: '新增楼栋', en: 'Building added' },
  'community.household_create': { zh: '新建户', en: 'Household created' },
  'community.household_add_member': { zh: '添加家庭成员', en: 'Household member added' },
  'community.household_remove_member': { zh: '移出家庭成员', en: 'Household member removed' },
  'datasets.load_commit': { zh: '数据归集入库', en: 'Data load committed' },
  'datasets.load_failed': { zh: '数据归集失败', en: 'Data load failed' },
  'datasets.load_rejected': { zh: '数据归集被拒', en: 'Data load rejected' },
  'clients.create': { zh: '登记应用系统', en: 'Client application registered' },
  'clients.update': { zh: '修改应用系统', en: 'Client application updated' },
  'clients.rotate': { zh: '轮换应用密钥', en: 'Client secret rotated' },
  'clients.disable': { zh: '停用应用系统', en: 'Client application disabled' },
  'clients.enable': { zh: '启用应用系统', en: 'Client application enabled' },
  'exchange.token_issued': { zh: '签发交换访问令牌', en: 'Exchange access token issued' },
  'feeds.subscribe': { zh: '创建数据订阅', en: 'Feed subscription created' },
  'feeds.pause': { zh: '暂停数据订阅', en: 'Feed subscription paused' },
  'feeds.resume': { zh: '恢复数据订阅', en: 'Feed subscription resumed' },
  'feeds.unsubscribe': { zh: '删除数据订阅', en: 'Feed subscription deleted' },
  'feeds.test': { zh: '测试推送', en: 'Test delivery sent' },
  'feeds.suspend': { zh: '订阅因授权失效中止', en: 'Feed suspended (grant no longer usable)' },
  'gridwork.visit.create': { zh: '记录走访', en: 'Visit recorded' },
  'gridwork.incident.report': { zh: '上报事件', en: 'Incident reported' },
  'gridwork.incident.dispatch': { zh: '受理并派遣事件', en: 'Incident dispatched' },
  'gridwork.incident.conclude': { zh: '办结事件', en: 'Incident concluded' },
  'gridwork.incident.return': { zh: '退回事件', en: 'Incident returned' },
  'gridwork.incident.resubmit': { zh: '重新上报事件', en: 'Incident resubmitted' },
  'matters.create': { zh: '登记监察事项', en: 'Supervised matter recorded' },
  'matters.update': { zh: '修改监察事项', en: 'Supervised matter changed' },
  'matters.publication_add': { zh: '登记村务公开', en: 'Village publication recorded' },
  'oa.document.create': { zh: '起草公文', en: 'OA document drafted' },
  'oa.document.update': { zh: '修改公文草稿', en: 'OA draft changed' },
  'oa.document.send': { zh: '发送公文', en: 'OA document sent' },
  'oa.document.withdraw': { zh: '撤回公文', en: 'OA document withdrawn' },
  'oa.document.archive': { zh: '公文归档', en: 'OA document archived' },
  'oa.receipt.sign': { zh: '签收公文', en: 'OA document signed for' },
  'oa.receipt.remind': { zh: '公文催办', en: 'OA signing reminder sent' },
  'evaluation.rating.create': { zh: '好差评评价', en: 'Case rated' },
  'evaluation.rating.demo': { zh: '写入演示评价', en: 'Demo ratings written' },
  'evaluation.rating.follow_up': { zh: '差评整改回访', en: 'Bad rating followed up' },
  'evaluation.complaint.file': { zh: '提交投诉', en: 'Complaint filed' },
  'evaluation.complaint.accept': { zh: '受理投诉', en: 'Complaint accepted' },
  'evaluation.complaint.not_accept': { zh: '投诉不予受理', en: 'Complaint not accepted' },
  'evaluation.complaint.result': { zh: '登记投诉办理结果', en: 'Complaint handling result recorded' },
  'evaluation.complaint.close': { zh: '投诉办结', en: 'Complaint closed' },
  'evaluation.score.compute': { zh: '计算月度考评', en: 'Monthly scores computed' },
  'evaluation.score.publish': { zh: '发布月度考评排名', en: 'Monthly ranking published' },
  'approval.item.create': { zh: '新增审批事项', en: 'Approval item created' },
  'approval.item.create_many': { zh: '批量新增审批事项', en: 'Approval items created in bulk' },
  'approval.item.update': { zh: '修改审批事项', en: 'Approval item changed' },
  'approval.item.retire': { zh: '停用审批事项', en: 'Approval item retired' },
  'approval.case.submit': { zh: '提交审批申请', en: 'Application submitted' },
  'approval.case.material': { zh: '上传申请材料', en: 'Application material uploaded' },
  'approval.case.accept': { zh: '受理办件', en: 'Case accepted' },
  'approval.case.reject': { zh: '不予受理', en: 'Case rejected' },
  'approval.case.review': { zh: '开始审查', en: 'Case review begun' },
  'approval.case.pause': { zh: '办件暂停计时（补正/特别程序）', en: 'Case clock paused' },
  'approval.case.resume': { zh: '办件恢复计时', en: 'Case clock resumed' },
  'approval.case.resubmit': { zh: '申请人补正材料', en: 'Applicant resubmitted materials' },
  'approval.case.request_extension': { zh: '申请延长办理期限', en: 'Extension requested' },
  'approval.case.approve_extension': { zh: '批准延长办理期限', en: 'Extension approved' },
  'approval.case.refuse_extension': { zh: '不批准延长办理期限', en: 'Extension refused' },
  'approval.case.decide': { zh: '作出审批决定', en: 'Case decided' },
  'approval.case.conclude': { zh: '办结', en: 'Case concluded' },
  'approval.case.deliver': { zh: '送达', en: 'Decision delivered' },
  'approval.case.withdraw': { zh: '撤回申请', en: 'Application withdrawn' },
  'sharing.request.submit': { zh: '提交共享申请', en: 'Sharing request submitted' },
  'sharing.request.decide': { zh: '答复共享申请', en: 'Sharing request answered' },
  'sharing.request.withdraw': { zh: '撤回共享申请', en: 'Sharing request withdrawn' },
  'sharing.request.remind': { zh: '共享申请到期提醒', en: 'Sharing request reminder sent' },
  'sharing.request.escalate': { zh: '共享申请逾期上报', en: 'Sharing request escalated' },
  'sharing.grant.masks': { zh: '修改授权脱敏策略', en: 'Grant masking policy changed' },
  'profiles.label_attach': { zh: '添加重点人群标签', en: 'Key-group label attached' },
  'profiles.label_detach': { zh: '移除重点人群标签', en: 'Key-group label removed' },
  'profiles.configure': { zh: '设置居民画像数据来源', en: 'Resident profile sources configured' },
  'census.export': { zh: '导出人口统计', en: 'Community statistics exported' },
  'extranet.node.create': { zh: '新增外网节点', en: 'Extranet node added' },
  'extranet.node.update': { zh: '修改外网节点', en: 'Extranet node changed' },
  'extranet.node.delete': { zh: '删除外网节点', en: 'Extranet node deleted' },
  'extranet.node.probe_settings': { zh: '设置外网节点探测', en: 'Extranet node probe set' },
  'extranet.link.create': { zh: '新增外网链路', en: 'Extranet link added' },
  'extranet.link.update': { zh: '修改外网链路', en: 'Extranet link changed' },
  'extranet.link.delete': { zh: '删除外网链路', en: 'Extranet link deleted' },
  'extranet.connection.create': { zh: '部门接入外网', en: 'Department connected to the extranet' },
  'extranet.connection.delete': { zh: '撤销部门外网接入', en: 'Department extranet connection removed' },
  'extranet.probe.run': { zh: '执行外网连通性探测', en: 'Extranet probes run' },
  'extranet.import': { zh: '导入外网拓扑', en: 'Extranet topology imported' },
  'metering.tariff.set': { zh: '设置云资源计费资费', en: 'Cloud tariff set' },
  'metering.export': { zh: '导出云资源计费报表', en: 'Cloud chargeback exported' },
  'selfservice.demo': { zh: '生成云资源申请演示数据', en: 'Cloud request demo data seeded' },
  'selfservice.submit': { zh: '提交云资源申请', en: 'Cloud resource request submitted' },
  'selfservice.cancel': { zh: '撤销云资源申请', en: 'Cloud resource request cancelled' },
  'selfservice.department_decide': { zh: '部门审批云资源申请', en: 'Cloud request decided by the department' },
  'selfservice.platform_decide': { zh: '平台审批云资源申请', en: 'Cloud request decided by the platform' },
  'selfservice.policy_set': { zh: '设置云资源审批策略', en: 'Cloud approval policy set' },
  'selfservice.vm_start': { zh: '云主机开机', en: 'VM start requested' },
  'selfservice.vm_stop': { zh: '云主机关机', en: 'VM stop requested' },
  'selfservice.vm_suspend': { zh: '云主机挂起', en: 'VM suspend requested' },
  'selfservice.vm_resume': { zh: '云主机恢复', en: 'VM resume requested' },
  'selfservice.vm_snapshot': { zh: '云主机快照', en: 'VM snapshot requested' },
  'hypervisor.vm_action': { zh: '虚拟机操作完成（开通、启停、挂起、调整、快照、回收）', en: 'VM action settled on the hypervisor' },
  'hypervisor.observed': { zh: '核对发现虚拟机状态变化', en: 'VM state change observed by reconciliation' },
  'hypervisor.check': { zh: '检查宿主机虚拟化连接', en: 'Host hypervisor connection checked' },
  'hypervisor.reconcile': { zh: '核对虚拟化平台与数据库状态', en: 'Hypervisor state reconciled' },
  'cloud.host.create': { zh: '新增宿主机', en: 'Cloud host added' },
  'cloud.host.update': { zh: '修改宿主机', en: 'Cloud host changed' },
  'cloud.host.state': { zh: '变更宿主机状态（上线/维护/下线）', en: 'Cloud host state changed' },
  'cloud.host.delete': { zh: '删除宿主机', en: 'Cloud host removed' },
  'cloud.zone.create': { zh: '新增网络区域', en: 'Network zone added' },
  'cloud.zone.grant': { zh: '授权部门使用网络区域', en: 'Network zone granted to a department' },
  'cloud.zone.revoke': { zh: '收回部门网络区域授权', en: 'Network zone grant withdrawn' },
  'cloud.flavour.create': { zh: '新增虚拟机规格', en: 'VM flavour added' },
  'cloud.flavour.update': { zh: '修改虚拟机规格', en: 'VM flavour changed' },
  'cloud.image.create': { zh: '新增虚拟机镜像', en: 'VM image added' },
  'cloud.image.update': { zh: '修改虚拟机镜像', en: 'VM image changed' },
  'cloud.flavour.delete': { zh: '删除虚拟机规格', en: 'VM flavour deleted' },
  'cloud.image.delete': { zh: '删除虚拟机镜像', en: 'VM image deleted' },
  'cloud.room.create': { zh: '新增机房', en: 'Machine room added' },
  'cloud.room.update': { zh: '修改机房', en: 'Machine room changed' },
  'cloud.system.create': { zh: '登记业务系统', en: 'Business system registered' },
  'cloud.system.update': { zh: '修改业务系统', en: 'Business system changed' },
  'cloud.quota.set': { zh: '设置部门云资源配额', en: 'Department cloud quota set' },
  'cloud.demo': { zh: '写入云资源演示数据', en: 'Cloud demo data written' },
};

/** Families whose codes are built at run time (`http.post /api/…`: a write no service recorded, mostly refused). */
const FAMILIES: readonly (ActionLabel & { prefix: string })[] = [{ prefix: 'http.', zh: '其他写请求', en: 'Other write request' }];

export function actionLabel(code: string): ActionLabel {
  const entry = ACTIONS[code];
  if (entry) return { zh: entry.zh, en: entry.en };
  const family = FAMILIES.find((f) => code.startsWith(f.prefix));
  return family ? { zh: `${family.zh}（${code.slice(family.prefix.length)}）`, en: `${family.en} (${code.slice(family.prefix.length)})` } : { zh: code, en: code };
}

export const PERSONAL_DATA_READS: readonly string[] = Object.entries(ACTIONS)
  .filter(([, entry]) => entry.personalDataRead)
  .map(([code]) => code);

export interface ActionMatch {
  /** Exact codes whose label matched. */
  codes: string[];
  /** Code prefixes typed as such (`user.`) or of a matching family. */
  prefixes: string[];
}

/** What a searcher typed (登录, 'sign-in', 'user.') → the action codes it means. */
export function matchActions(text: string): ActionMatch {
  const needle = text.trim().toLowerCase();
  const codes = Object.entries(ACTIONS)
    .filter(([code, entry]) => entry.zh.includes(needle) || entry.en.toLowerCase().includes(needle) || code.startsWith(needle))
    .map(([code]) => code);
  const prefixes = FAMILIES.filter((f) => f.zh.includes(needle) || f.en.toLowerCase().includes(needle)).map((f) => f.prefix);
  // a code typed by someone who knows them (also one not in the catalogue yet)
  if (/^[a-z0-9._ /:-]+$/.test(needle)) prefixes.push(needle);
  return { codes, prefixes };
}

/** Labels for the keys services put in a record's detail; an unknown key is shown as it is. */
const DETAIL_FIELDS: Readonly<Record<string, ActionLabel>> = {
  reason: { zh: '原因', en: 'Reason' },
  failures: { zh: '连续失败次数', en: 'Consecutive failures' },
  locked: { zh: '已锁定', en: 'Locked' },
  count: { zh: '返回条数', en: 'Rows returned' },
  total: { zh: '匹配总数', en: 'Rows matched' },
  cap: { zh: '导出上限', en: 'Export cap' },
  format: { zh: '格式', en: 'Format' },
  q: { zh: '搜索词', en: 'Search text' },
  action: { zh: '操作', en: 'Action' },
  actorId: { zh: '操作人 ID', en: 'Actor ID' },
  outcome: { zh: '结果', en: 'Outcome' },
  regionCode: { zh: '区划代码', en: 'Region code' },
  from: { zh: '起始时间', en: 'From' },
  to: { zh: '截止时间', en: 'To' },
  person: { zh: '人员', en: 'Person' },
  department: { zh: '部门', en: 'Department' },
  departmentId: { zh: '部门 ID', en: 'Department ID' },
  object: { zh: '对象', en: 'Object' },
  ok: { zh: '完整', en: 'Intact' },
  records: { zh: '记录数', en: 'Records' },
  brokenAt: { zh: '断点', en: 'Broken at' },
  name: { zh: '名称', en: 'Name' },
  scopes: { zh: '权限范围', en: 'Scopes' },
  expiresAt: { zh: '到期时间', en: 'Expires' },
  username: { zh: '用户名', en: 'User name' },
  grants: { zh: '角色授权', en: 'Role grants' },
  role: { zh: '角色', en: 'Role' },
  changes: { zh: '变更内容', en: 'Changes' },
  code: { zh: '代码', en: 'Code' },
  shortName: { zh: '简称', en: 'Short name' },
  kind: { zh: '类别', en: 'Kind' },
  parentId: { zh: '上级部门 ID', en: 'Parent department ID' },
  creditCode: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  into: { zh: '并入区划', en: 'Merged into' },
  intoName: { zh: '并入区划名称', en: 'Merged into (name)' },
  effectiveDate: { zh: '生效日期', en: 'Effective date' },
  status: { zh: '状态', en: 'Status' },
  via: { zh: '途径', en: 'Via' },
  displayName: { zh: '姓名', en: 'Name' },
  phone: { zh: '手机号', en: 'Phone' },
  email: { zh: '邮箱', en: 'E-mail' },
  usernames: { zh: '用户名', en: 'User names' },
  rows: { zh: '行数', en: 'Rows' },
  view: { zh: '查阅页面', en: 'View' },
  ownerKind: { zh: '所属对象类型', en: 'Owner kind' },
  ownerId: { zh: '所属对象', en: 'Owner' },
  use: { zh: '用途', en: 'Use' },
  size: { zh: '大小（字节）', en: 'Size (bytes)' },
  mediaType: { zh: '文件类型', en: 'Media type' },
  sha256: { zh: 'SHA-256', en: 'SHA-256' },
  deduplicated: { zh: '内容已存在', en: 'Content already stored' },
  permission: { zh: '所用权限', en: 'Permission used' },
  seq: { zh: '记录序号', en: 'Record' },
  checkpointSeq: { zh: '检查点序号', en: 'Checkpoint record' },
  hash: { zh: '哈希', en: 'Hash' },
  created: { zh: '新建数量', en: 'Created' },
  ids: { zh: '对象 ID', en: 'IDs' },
  codes: { zh: '代码', en: 'Codes' },
  'supervision.warning.fire': { zh: '电子监察预警触发', en: 'Supervision warnings fired' },
  'supervision.order.issue': { zh: '下发督办单', en: 'Supervision order issued' },
  'supervision.order.respond': { zh: '答复督办单', en: 'Supervision order answered' },
  'supervision.order.rectified': { zh: '督办单确认整改', en: 'Supervision order marked rectified' },
  'supervision.order.reopen': { zh: '督办单退回重办', en: 'Supervision order reopened' },
  'supervision.order.close': { zh: '督办单办结', en: 'Supervision order closed' },
  'supervision.explanation.file': { zh: '提交说明理由', en: 'Card explanation filed' },
  'supervision.explanation.accept': { zh: '采纳说明理由', en: 'Card explanation accepted' },
  'supervision.explanation.reject': { zh: '不予采纳说明理由', en: 'Card explanation rejected' },
  'cloud.placement_policy.update': { zh: '修改资源调度策略', en: 'Placement policy changed' },
};

export interface DetailField {
  key: string;
  label: ActionLabel;
  /** Scalars as they are; lists and nested objects as one line of text. */
  value: string | number | boolean | null;
}

function inline(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(inline).join('、');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${DETAIL_FIELDS[key]?.zh ?? key}: ${inline(item)}`)
      .join('，');
  }
  return String(value);
}

/** A record's detail as a readable field list (label: value), in the order the service wrote it. */
export function detailFields(detail: Record<string, unknown> | null): DetailField[] {
  if (detail === null) return [];
  return Object.entries(detail).map(([key, value]) => ({
    key,
    label: DETAIL_FIELDS[key] ?? { zh: key, en: key },
    value: value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : inline(value),
  }));
}
