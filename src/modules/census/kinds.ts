// The dimensions of community statistics and their values, shared with the console.

/** What a breakdown or a cross-tab can be split by. */
export const DIMENSIONS = ['age', 'sex', 'ethnicity', 'residence_status', 'medical_insurance', 'social_security', 'party_member', 'label', 'household_size'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Age bands in whole years on the asked date (年龄段); `max` null = open. */
export const AGE_BANDS = [
  { code: '0-6', min: 0, max: 6 },
  { code: '7-17', min: 7, max: 17 },
  { code: '18-34', min: 18, max: 34 },
  { code: '35-44', min: 35, max: 44 },
  { code: '45-59', min: 45, max: 59 },
  { code: '60-69', min: 60, max: 69 },
  { code: '70-79', min: 70, max: 79 },
  { code: '80+', min: 80, max: null },
] as const;

/** Values in display order where the set is fixed (ethnicity and labels come from the data and the label table). */
export const FIXED_VALUES: Partial<Record<Dimension, readonly string[]>> = {
  age: AGE_BANDS.map((b) => b.code),
  sex: ['M', 'F'],
  residence_status: ['registered', 'resident', 'floating'],
  medical_insurance: ['yes', 'no', 'unknown'],
  social_security: ['yes', 'no', 'unknown'],
  party_member: ['yes', 'no', 'unknown'],
  household_size: ['1', '2', '3', '4', '5', '6+', 'none'],
};


/** GB/T 3304 names of the ethnic groups (民族), by code. */
export const ETHNICITY_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  '汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺'
    .split(' ')
    .map((name, i) => [String(i + 1).padStart(2, '0'), `${name}族`]),
);

/** Chinese names of the fixed values, for the XLSX export (the console has its own messages). */
export const VALUE_NAMES_ZH: Readonly<Record<string, string>> = {
  M: '男',
  F: '女',
  registered: '户籍',
  resident: '常住',
  floating: '流动',
  yes: '是',
  no: '否',
  unknown: '未知',
  none: '无',
  '6+': '6人及以上',
};

export const DIMENSION_NAMES_ZH: Readonly<Record<Dimension, string>> = {
  age: '年龄段',
  sex: '性别',
  ethnicity: '民族',
  residence_status: '居住类型',
  medical_insurance: '医疗保险',
  social_security: '社会保险',
  party_member: '党员',
  label: '重点人群',
  household_size: '家庭人口数',
};
