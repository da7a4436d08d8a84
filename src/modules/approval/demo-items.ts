// The demo's service items: real items of Hami's departments with their legal bases and limits (working days).
import type { ItemKind } from './kinds.ts';

export interface DemoItem {
  /** The department's code suffix in the seeded plan (`6505-SCJ` → 'SCJ'). */
  dept: string;
  name: string;
  kind: ItemKind;
  basis: string;
  statutory: number;
  promised: number;
  online?: boolean;
  fee?: number;
  materials: string[];
}

const ID = '申请人身份证明';
const LICENCE = '营业执照';

export const DEMO_ITEMS: DemoItem[] = [
  { dept: 'SCJ', name: '食品经营许可证核发', kind: 'licence', basis: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》', statutory: 20, promised: 10, materials: ['食品经营许可申请书', LICENCE, '食品安全管理制度', '经营场所平面图'] },
  { dept: 'SCJ', name: '食品生产许可证核发', kind: 'licence', basis: '《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》', statutory: 20, promised: 12, materials: ['食品生产许可申请书', LICENCE, '生产设备布局图', '工艺流程图'] },
  { dept: 'SCJ', name: '特种设备使用登记', kind: 'confirmation', basis: '《中华人民共和国特种设备安全法》第三十三条', statutory: 15, promised: 5, materials: ['特种设备使用登记表', '产品合格证', '监督检验证书'] },
  { dept: 'SCJ', name: '药品零售企业经营许可', kind: 'licence', basis: '《中华人民共和国药品管理法》第五十一条', statutory: 30, promised: 15, materials: ['药品经营许可申请表', LICENCE, '执业药师资格证书', '经营场所产权证明'] },
  { dept: 'SCJ', name: '计量器具型式批准', kind: 'licence', basis: '《中华人民共和国计量法》第十三条', statutory: 20, promised: 15, online: false, materials: ['型式批准申请书', '计量器具样机照片', '技术资料'] },
  { dept: 'WJW', name: '医疗机构执业登记', kind: 'licence', basis: '《医疗机构管理条例》第十五条', statutory: 45, promised: 20, materials: ['医疗机构执业登记申请书', '设置医疗机构批准书', '医疗机构用房产权证明', '主要负责人资格证明'] },
  { dept: 'WJW', name: '医师执业注册', kind: 'licence', basis: '《中华人民共和国医师法》第十三条', statutory: 20, promised: 10, materials: ['医师执业注册申请审核表', '医师资格证书', '健康体检证明', ID] },
  { dept: 'WJW', name: '公共场所卫生许可证核发', kind: 'licence', basis: '《公共场所卫生管理条例》第八条', statutory: 20, promised: 8, materials: ['卫生许可证申请表', LICENCE, '卫生管理制度', '从业人员健康合格证明'] },
  { dept: 'WJW', name: '母婴保健技术服务执业许可', kind: 'licence', basis: '《中华人民共和国母婴保健法》第三十二条', statutory: 20, promised: 15, materials: ['执业许可申请表', '医疗机构执业许可证', '技术人员资格证明'] },
  { dept: 'JTJ', name: '道路货物运输经营许可', kind: 'licence', basis: '《中华人民共和国道路运输条例》第二十四条', statutory: 20, promised: 10, materials: ['道路货物运输经营申请表', ID, '车辆行驶证', '驾驶人员从业资格证'] },
  { dept: 'JTJ', name: '道路旅客运输经营许可', kind: 'licence', basis: '《中华人民共和国道路运输条例》第十条', statutory: 20, promised: 15, materials: ['道路旅客运输经营申请表', '安全生产管理制度', '车辆技术等级评定证明'] },
  { dept: 'JTJ', name: '机动车驾驶员培训经营备案', kind: 'other', basis: '《中华人民共和国道路运输条例》第三十九条', statutory: 5, promised: 3, materials: ['备案表', LICENCE, '教练车辆清单'] },
  { dept: 'JTJ', name: '公路超限运输许可', kind: 'licence', basis: '《公路安全保护条例》第三十五条', statutory: 15, promised: 5, materials: ['超限运输申请表', '车辆行驶证', '货物说明'] },
  { dept: 'ZJJ', name: '建筑工程施工许可证核发', kind: 'licence', basis: '《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》', statutory: 15, promised: 7, materials: ['施工许可申请表', '建设工程规划许可证', '施工合同', '安全施工措施资料'] },
  { dept: 'ZJJ', name: '建筑业企业资质核准', kind: 'licence', basis: '《中华人民共和国建筑法》第十三条', statutory: 20, promised: 15, materials: ['资质申请表', LICENCE, '技术负责人资格证明', '企业章程'] },
  { dept: 'ZJJ', name: '商品房预售许可', kind: 'licence', basis: '《中华人民共和国城市房地产管理法》第四十五条', statutory: 20, promised: 10, materials: ['预售许可申请书', '土地使用权证书', '建设工程施工许可证', '预售方案'] },
  { dept: 'ZJJ', name: '房屋建筑工程竣工验收备案', kind: 'confirmation', basis: '《建设工程质量管理条例》第四十九条', statutory: 15, promised: 5, materials: ['竣工验收备案表', '竣工验收报告', '规划验收认可文件'] },
  { dept: 'MZJ', name: '社会团体成立登记', kind: 'licence', basis: '《社会团体登记管理条例》第九条', statutory: 60, promised: 30, materials: ['成立登记申请书', '章程草案', '验资报告', '负责人基本情况'] },
  { dept: 'MZJ', name: '民办非企业单位成立登记', kind: 'licence', basis: '《民办非企业单位登记管理暂行条例》第八条', statutory: 60, promised: 30, materials: ['登记申请书', '章程草案', '场所使用权证明', '验资报告'] },
  { dept: 'MZJ', name: '养老机构备案', kind: 'other', basis: '《中华人民共和国老年人权益保障法》第四十三条', statutory: 10, promised: 5, materials: ['养老机构备案书', '养老机构备案承诺书', LICENCE] },
  { dept: 'MZJ', name: '最低生活保障对象认定', kind: 'payment', basis: '《社会救助暂行办法》第十一条', statutory: 30, promised: 20, materials: ['低保申请书', ID, '家庭收入财产状况声明'] },
  { dept: 'MZJ', name: '特困人员救助供养认定', kind: 'payment', basis: '《社会救助暂行办法》第十四条', statutory: 30, promised: 20, materials: ['特困供养申请书', ID, '户口簿'] },
  { dept: 'JYJ', name: '民办学校办学许可', kind: 'licence', basis: '《中华人民共和国民办教育促进法》第十二条', statutory: 90, promised: 60, online: false, materials: ['办学申请报告', '举办者资格证明', '校舍产权证明', '资产来源证明'] },
  { dept: 'JYJ', name: '教师资格认定', kind: 'confirmation', basis: '《中华人民共和国教师法》第十三条；《教师资格条例》', statutory: 30, promised: 20, materials: ['教师资格认定申请表', '学历证书', '普通话水平测试等级证书', '体检合格证明'] },
  { dept: 'JYJ', name: '校外培训机构设立审批', kind: 'licence', basis: '《中华人民共和国民办教育促进法》第十二条', statutory: 60, promised: 30, materials: ['设立申请书', '培训场所证明', '师资情况'] },
  { dept: 'ZRJ', name: '建设用地规划许可', kind: 'licence', basis: '《中华人民共和国城乡规划法》第三十七条、第三十八条', statutory: 20, promised: 10, materials: ['建设用地规划许可申请表', '建设项目批准文件', '用地红线图'] },
  { dept: 'ZRJ', name: '建设工程规划许可', kind: 'licence', basis: '《中华人民共和国城乡规划法》第四十条', statutory: 20, promised: 10, materials: ['建设工程规划许可申请表', '土地使用权证明', '设计方案总平面图'] },
  { dept: 'ZRJ', name: '乡村建设规划许可', kind: 'licence', basis: '《中华人民共和国城乡规划法》第四十一条', statutory: 20, promised: 10, materials: ['乡村建设规划许可申请表', '宅基地使用证明', ID] },
  { dept: 'ZRJ', name: '不动产首次登记', kind: 'confirmation', basis: '《不动产登记暂行条例》第二十条', statutory: 30, promised: 5, fee: 80, materials: ['不动产登记申请书', ID, '权属来源证明'] },
  { dept: 'RSJ', name: '人力资源服务许可', kind: 'licence', basis: '《人力资源市场暂行条例》第十八条', statutory: 20, promised: 10, materials: ['人力资源服务许可申请书', LICENCE, '专职工作人员资格证明', '场所使用证明'] },
  { dept: 'RSJ', name: '劳务派遣经营许可', kind: 'licence', basis: '《中华人民共和国劳动合同法》第五十七条', statutory: 20, promised: 10, materials: ['劳务派遣经营许可申请书', LICENCE, '验资报告', '劳务派遣管理制度'] },
  { dept: 'RSJ', name: '企业实行不定时工作制和综合计算工时工作制审批', kind: 'licence', basis: '《中华人民共和国劳动法》第三十九条', statutory: 20, promised: 10, materials: ['审批申请表', '工会或职工代表意见', '工时制度实施方案'] },
  { dept: 'RSJ', name: '职业技能等级认定证书补发', kind: 'other', basis: '《国家职业技能标准编制技术规程》', statutory: 10, promised: 5, materials: [ID, '补发申请'] },
  { dept: 'RSJ', name: '失业保险金申领', kind: 'payment', basis: '《失业保险条例》第十六条', statutory: 10, promised: 3, materials: [ID, '解除劳动合同证明'] },
  { dept: 'SLJ', name: '取水许可', kind: 'licence', basis: '《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》', statutory: 45, promised: 20, materials: ['取水许可申请书', '水资源论证报告', '取水工程设计'] },
  { dept: 'SLJ', name: '水资源费征收', kind: 'levy', basis: '《取水许可和水资源费征收管理条例》第二十八条', statutory: 10, promised: 5, fee: 0, materials: ['取水量核定表'] },
  { dept: 'HBJ', name: '建设项目环境影响报告书审批', kind: 'licence', basis: '《中华人民共和国环境影响评价法》第二十二条', statutory: 60, promised: 30, online: false, materials: ['审批申请', '环境影响报告书', '公众参与说明'] },
  { dept: 'HBJ', name: '排污许可证核发', kind: 'licence', basis: '《排污许可管理条例》第十一条', statutory: 20, promised: 15, materials: ['排污许可证申请表', '自行监测方案', '守法承诺书'] },
  { dept: 'NYJ', name: '农作物种子生产经营许可', kind: 'licence', basis: '《中华人民共和国种子法》第三十一条', statutory: 20, promised: 15, materials: ['种子生产经营许可申请表', LICENCE, '种子检验设备清单'] },
  { dept: 'NYJ', name: '动物防疫条件合格证核发', kind: 'licence', basis: '《中华人民共和国动物防疫法》第二十五条', statutory: 20, promised: 15, materials: ['动物防疫条件审查申请表', '场所平面图', '防疫制度'] },
  { dept: 'WLJ', name: '娱乐场所经营许可', kind: 'licence', basis: '《娱乐场所管理条例》第九条', statutory: 20, promised: 10, materials: ['娱乐场所经营申请书', LICENCE, '消防验收证明'] },
  { dept: 'WLJ', name: '旅行社业务经营许可', kind: 'licence', basis: '《旅行社条例》第六条', statutory: 20, promised: 15, materials: ['旅行社业务经营许可申请书', '经营场所证明', '营业设施证明'] },
];
