// The cloud demo's reference lists: which seeded departments ran a machine room of their own before consolidation
// (56, keys of the demo's department catalogue, src/seed/catalog.ts), and their business systems (~60) with the
// network zone each runs in. Names are the systems such bodies actually run.

/** Departments that kept a server room of their own before the pool (部门机房). */
export const LEGACY_ROOM_DEPARTMENTS = [
  'SWB', 'JW', 'ZZB', 'XCB', 'ZFW', 'WXB', 'RD', 'ZX', 'FY', 'JCY', 'SZF', 'FGW', 'GXJ', 'JYJ', 'KJJ', 'MZW', 'GAJ', 'MZJ', 'SFJ', 'CZJ',
  'RSJ', 'ZRJ', 'HBJ', 'ZJJ', 'JTJ', 'SLJ', 'NYJ', 'SWJ', 'WLJ', 'WJW', 'TYJ', 'YJJ', 'SJJ', 'GZW', 'SCJ', 'TJJ', 'YBJ', 'LCJ', 'XFJ', 'SJB',
  'CGJ', 'LSJ', 'JGSW', 'QXJ', 'ZGH', 'RBS', 'GBDS', 'ZXYY', 'JKZX', 'SBZX', 'BDC', 'GJJ', 'ZWZX', 'JYZX', 'RX', 'DAG',
] as const;

export type ZoneCode = 'egov-extranet' | 'egov-intranet' | 'internet';

/** [department key, code suffix, name, zone, VMs (2–3: an HA group), 等保 level]. */
export const DEMO_SYSTEMS: readonly [string, string, string, ZoneCode, 1 | 2 | 3, 2 | 3][] = [
  ['SWB', 'OA', '党委机关协同办公系统', 'egov-intranet', 2, 3],
  ['SWB', 'DB', '督查督办系统', 'egov-intranet', 1, 2],
  ['JW', 'JDJC', '监督执纪信息管理系统', 'egov-intranet', 2, 3],
  ['ZZB', 'DYGL', '党员信息管理系统', 'egov-intranet', 2, 3],
  ['ZZB', 'GBGL', '干部管理信息系统', 'egov-intranet', 1, 3],
  ['XCB', 'WMCJ', '文明城市创建管理平台', 'egov-extranet', 1, 2],
  ['ZFW', 'SHZL', '社会治理综合平台', 'egov-extranet', 2, 3],
  ['WXB', 'YQJC', '网络舆情监测系统', 'internet', 2, 3],
  ['RD', 'YAJY', '人大代表议案建议办理系统', 'egov-extranet', 1, 2],
  ['ZX', 'TABL', '政协提案办理系统', 'egov-extranet', 1, 2],
  ['FY', 'SPGL', '审判流程管理系统', 'egov-intranet', 2, 3],
  ['JCY', 'JCYW', '检察业务应用系统', 'egov-intranet', 2, 3],
  ['SZF', 'WZQ', '政府门户网站群', 'internet', 3, 3],
  ['SZF', 'GWJH', '公文交换系统', 'egov-extranet', 2, 3],
  ['FGW', 'XMGL', '投资项目在线审批监管平台', 'egov-extranet', 2, 3],
  ['FGW', 'XYXT', '社会信用信息平台', 'egov-extranet', 2, 3],
  ['GXJ', 'YXJC', '工业经济运行监测系统', 'egov-extranet', 1, 2],
  ['JYJ', 'XJGL', '中小学学籍管理系统', 'egov-extranet', 2, 3],
  ['JYJ', 'ZSBM', '义务教育招生报名平台', 'internet', 2, 3],
  ['KJJ', 'KJXM', '科技项目管理系统', 'egov-extranet', 1, 2],
  ['MZW', 'ZJSW', '宗教事务管理系统', 'egov-intranet', 1, 3],
  ['GAJ', 'SPGX', '视频图像共享平台', 'egov-intranet', 3, 3],
  ['GAJ', 'HZGL', '户政业务辅助系统', 'egov-intranet', 2, 3],
  ['MZJ', 'SQFW', '社区综合服务平台', 'egov-extranet', 3, 3],
  ['MZJ', 'DBJZ', '低保救助管理系统', 'egov-extranet', 2, 3],
  ['MZJ', 'YLFW', '智慧养老服务平台', 'egov-extranet', 1, 2],
  ['SFJ', 'SQJZ', '社区矫正管理系统', 'egov-intranet', 1, 3],
  ['SFJ', 'GGFL', '公共法律服务平台', 'internet', 1, 2],
  ['CZJ', 'YSYTH', '预算管理一体化系统', 'egov-extranet', 3, 3],
  ['CZJ', 'FSZF', '非税收入收缴系统', 'egov-extranet', 2, 3],
  ['RSJ', 'SBXT', '社会保险经办系统', 'egov-extranet', 3, 3],
  ['RSJ', 'JYXT', '就业创业服务系统', 'egov-extranet', 2, 2],
  ['ZRJ', 'YZT', '国土空间基础信息平台（一张图）', 'egov-extranet', 2, 3],
  ['HBJ', 'ZXJC', '污染源在线监测系统', 'egov-extranet', 2, 2],
  ['ZJJ', 'JGXT', '建筑市场监管系统', 'egov-extranet', 1, 2],
  ['ZJJ', 'FCJY', '房产交易网签备案系统', 'egov-extranet', 2, 3],
  ['JTJ', 'ZFXT', '交通运输执法系统', 'egov-extranet', 1, 2],
  ['SLJ', 'SZY', '水资源监控管理平台', 'egov-extranet', 1, 2],
  ['NYJ', 'NCP', '农产品质量安全追溯平台', 'internet', 1, 2],
  ['NYJ', 'GBNT', '高标准农田管理系统', 'egov-extranet', 1, 2],
  ['SWJ', 'SWYX', '商务运行监测系统', 'egov-extranet', 1, 2],
  ['WLJ', 'LYFW', '智慧旅游服务平台', 'internet', 2, 2],
  ['WJW', 'QMJK', '全民健康信息平台', 'egov-extranet', 3, 3],
  ['WJW', 'JKDA', '居民电子健康档案系统', 'egov-extranet', 2, 3],
  ['TYJ', 'YFDX', '退役军人优抚对象管理系统', 'egov-extranet', 1, 2],
  ['YJJ', 'YJZH', '应急指挥信息系统', 'egov-extranet', 2, 3],
  ['SJJ', 'SJGL', '审计管理系统', 'egov-intranet', 1, 3],
  ['GZW', 'GZJG', '国资监管信息系统', 'egov-extranet', 1, 2],
  ['SCJ', 'SCZT', '市场主体登记系统', 'egov-extranet', 2, 3],
  ['SCJ', 'SPAQ', '食品安全监管系统', 'egov-extranet', 2, 2],
  ['TJJ', 'LWZB', '统计联网直报平台', 'egov-extranet', 1, 2],
  ['YBJ', 'YBXT', '医疗保障信息平台', 'egov-extranet', 3, 3],
  ['LCJ', 'LCJC', '林草资源监测系统', 'egov-extranet', 1, 2],
  ['XFJ', 'XFXX', '信访信息系统', 'egov-intranet', 2, 3],
  ['SJB', 'ZWFW', '一体化政务服务平台', 'egov-extranet', 3, 3],
  ['SJB', 'SJGX', '政务数据共享交换平台', 'egov-extranet', 2, 3],
  ['SJB', 'HLWZW', '互联网+政务服务门户', 'internet', 2, 3],
  ['CGJ', 'SZCG', '数字城管系统', 'egov-extranet', 2, 2],
  ['GJJ', 'GJJYW', '住房公积金业务系统', 'egov-extranet', 2, 3],
  ['BDC', 'BDCDJ', '不动产登记信息系统', 'egov-extranet', 2, 3],
  ['RX', 'RX12345', '12345 热线工单系统', 'egov-extranet', 2, 3],
];

export const DEMO_FLAVOURS = [
  { code: 'c1m2', name: '1 核 2 GB', vcpus: 1, memory_mb: 2048 },
  { code: 'c2m4', name: '2 核 4 GB', vcpus: 2, memory_mb: 4096 },
  { code: 'c4m8', name: '4 核 8 GB', vcpus: 4, memory_mb: 8192 },
  { code: 'c4m16', name: '4 核 16 GB', vcpus: 4, memory_mb: 16384 },
  { code: 'c8m16', name: '8 核 16 GB', vcpus: 8, memory_mb: 16384 },
  { code: 'c8m32', name: '8 核 32 GB', vcpus: 8, memory_mb: 32768 },
  { code: 'c16m64', name: '16 核 64 GB', vcpus: 16, memory_mb: 65536 },
] as const;

export const DEMO_IMAGES = [
  { code: 'kylin-v10-sp3', name: '银河麒麟高级服务器操作系统 V10 SP3', os: 'Kylin Linux Advanced Server V10', min_disk_gb: 40 },
  { code: 'uos-server-20', name: '统信 UOS 服务器操作系统 20', os: 'UnionTech OS Server 20', min_disk_gb: 40 },
  { code: 'openeuler-22.03', name: 'openEuler 22.03 LTS', os: 'openEuler 22.03 LTS', min_disk_gb: 20 },
  { code: 'centos-7.9', name: 'CentOS 7.9（存量系统，停止维护）', os: 'CentOS Linux 7.9', min_disk_gb: 20 },
  { code: 'win-2019', name: 'Windows Server 2019 数据中心版', os: 'Windows Server 2019', min_disk_gb: 60 },
] as const;

export const DEMO_ZONES = [
  { code: 'egov-extranet', name: '政务外网', description: '电子政务外网区：各部门业务系统，经政务外网互联', open_to_all: true },
  { code: 'egov-intranet', name: '政务内网', description: '涉密以外的内网业务区：党委、纪检、政法等部门，按部门授权使用', open_to_all: false },
  { code: 'internet', name: '互联网区', description: '面向公众的门户与服务，经安全隔离区对外发布，按部门授权使用', open_to_all: false },
] as const;

export const LEGACY_MODELS = ['浪潮 NF5270M4', '华为 RH2288H V3', '联想 ThinkSystem SR650', '曙光 I620-G20', 'Dell PowerEdge R730', 'HP ProLiant DL380 Gen9', '浪潮 NF5280M5', '华为 FusionServer 2288H V5'] as const;
export const COMMUNITY_MODELS = ['联想 ThinkServer TS250', 'Dell PowerEdge T330', '浪潮 NP3020M4', 'HP ProLiant ML110 Gen9'] as const;
