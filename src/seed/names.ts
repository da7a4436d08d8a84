// Realistic staff names for the demo: Han names with pinyin user names, and Uyghur and Kazakh names
// (given name · father's name, as written in Chinese in Xinjiang) with Latin user names.
import type { Prng } from './prng.ts';

/** '王wang 李li' → [['王', 'wang'], ['李', 'li']] */
function pairs(list: string): [string, string][] {
  return [...list.matchAll(/(\p{Script=Han}+)([a-z]+)/gu)].map((m) => [m[1]!, m[2]!]);
}

// Ordered by frequency; the weights below fall off with rank.
const SURNAMES = pairs(`
  王wang 李li 张zhang 刘liu 陈chen 杨yang 马ma 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 朱zhu 胡hu 郭guo 何he 高gao 林lin 罗luo
  郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai
  余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin
  石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang 白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 侯hou
  龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao`);
const SURNAME_WEIGHTS = SURNAMES.map((_, rank) => 1 / (rank + 8));

const MALE_CHARS = pairs(`
  伟wei 强qiang 磊lei 军jun 勇yong 杰jie 涛tao 明ming 超chao 刚gang 平ping 辉hui 鹏peng 华hua 飞fei 鑫xin 波bo 斌bin 宇yu 浩hao
  凯kai 健jian 俊jun 帆fan 旭xu 宁ning 龙long 林lin 阳yang 建jian 国guo 志zhi 文wen 海hai 峰feng 亮liang 成cheng 东dong 永yong 胜sheng
  德de 振zhen 学xue 春chun 晓xiao 江jiang 新xin 兵bing 忠zhong 世shi`);
const FEMALE_CHARS = pairs(`
  芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 燕yan 玲ling 婷ting 雪xue 慧hui 颖ying 琳lin 倩qian 洁jie 梅mei 兰lan 红hong
  玉yu 萍ping 琴qin 云yun 莉li 丹dan 欣xin 悦yue 雅ya 怡yi 晶jing 璐lu 蕾lei 佳jia 雯wen 婧jing 瑶yao 月yue 秀xiu 英ying`);

const UYGHUR_MALE = pairs(`
  艾力eli 买买提memet 阿不都abdu 吐尔逊tursun 艾合买提ehmet 热合曼rehman 亚森yasin 伊力哈木ilham 阿布力孜abliz 卡德尔qadir
  玉素甫yusup 司马义ismail 吾买尔omer 阿迪力adil 艾尔肯erkin 吐尔洪turghun 阿不来提ablet 依明imin 库尔班qurban 塔依尔tahir
  沙吾提sawut 米吉提mijit 牙合甫yaqup`);
const UYGHUR_FEMALE = pairs(`
  阿依古丽aygul 古丽米拉gulmira 帕提古丽patigul 迪丽拜尔dilber 米热古丽mihrigul 努尔古丽nurgul 再努尔zeynur 阿米娜amina
  祖丽皮亚zulpiye 热依拉reyla 阿瓦古丽awagul 麦尔哈巴merhaba 哈丽旦halidan`);
const KAZAKH_MALE = pairs(`
  叶尔兰erlan 努尔兰nurlan 叶尔江erjan 别克bek 巴合提baqyt 达吾列提dawlet 木拉提murat 阿斯哈尔asqar 赛力克serik 加尔肯jarken
  哈那提qanat 胡安德克quandyq`);
const KAZAKH_FEMALE = pairs(`古丽娜尔gulnar 阿依达娜aydana 加娜尔zhanar 萨乌列saule 阿依江aizhan 玛丽亚mariya 古丽扎达gulzada 阿克玛拉akmaral`);

export interface PersonName {
  displayName: string;
  /** A user-name stem in lower-case ASCII; the caller makes it unique. */
  usernameStem: string;
}

/** Shares of Han, Uyghur and Kazakh names; counties with a Kazakh autonomous status get more Kazakh names. */
export interface NameMix {
  han: number;
  uyghur: number;
  kazakh: number;
}

export const DEFAULT_MIX: NameMix = { han: 0.72, uyghur: 0.2, kazakh: 0.08 };
export const KAZAKH_COUNTY_MIX: NameMix = { han: 0.62, uyghur: 0.1, kazakh: 0.28 };

/** `sex`, when given, fixes the name's sex (the demo's residents); otherwise 45 % of names are women's. */
export function personName(rng: Prng, mix: NameMix = DEFAULT_MIX, sex?: 'M' | 'F'): PersonName {
  const female = sex === undefined ? rng.next() < 0.45 : sex === 'F';
  const people = rng.weighted(['han', 'uyghur', 'kazakh'] as const, [mix.han, mix.uyghur, mix.kazakh]);
  if (people === 'han') {
    const [surname, surnamePinyin] = rng.weighted(SURNAMES, SURNAME_WEIGHTS);
    const chars = female ? FEMALE_CHARS : MALE_CHARS;
    const first = rng.pick(chars);
    const given = rng.next() < 0.72 ? [first, rng.pick(chars)] : [first];
    return { displayName: surname + given.map((g) => g[0]).join(''), usernameStem: surnamePinyin + given.map((g) => g[1]).join('') };
  }
  const [males, females] = people === 'uyghur' ? [UYGHUR_MALE, UYGHUR_FEMALE] : [KAZAKH_MALE, KAZAKH_FEMALE];
  const [given, givenLatin] = rng.pick(female ? females : males);
  let father = rng.pick(males);
  if (father[0] === given) father = males[(males.indexOf(father) + 1) % males.length]!;
  return { displayName: `${given}·${father[0]}`, usernameStem: `${givenLatin}.${father[1]}` };
}

/** Hands out unique user names: wangjianguo, wangjianguo2, … skipping any reserved ones. */
export class UsernamePool {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.used.add(name);
  }

  take(stem: string): string {
    let candidate = stem;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${stem}${n}`;
    this.used.add(candidate);
    return candidate;
  }
}
