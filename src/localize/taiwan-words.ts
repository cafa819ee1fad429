// Words that mark Simplified Chinese derived from Taiwanese text as Taiwanese: OpenCC's `twp → cn`
// converts characters and much vocabulary, but not these (or not in every context). Each comes
// with the mainland word to use. `check` reports them in the derived zh-Hans, so a pack can fix
// them with a glossary entry or a zh-Hans value of its own; the built-in pack has none (tested).
//
// Only words that are Taiwan usage in every context are listed, so a report is never a false
// alarm: 资料 (data in Taiwan, but "materials" on the mainland too), 典范 (a paradigm in Taiwan, an
// exemplar on the mainland), 透过, 营运, 品质 and 影片 are mainland words too, and are not listed.

/** A Taiwan word, the mainland word, and characters before which it is part of a mainland word. */
export const TAIWAN_WORDS: ReadonlyArray<readonly [taiwan: string, mainland: string, partOf?: string]> = [
  ['人工智慧', '人工智能'],
  ['智慧型手机', '智能手机'],
  ['软体', '软件'],
  ['硬体', '硬件'],
  ['数位', '数字'],
  ['网路', '网络'],
  ['网际网路', '互联网'],
  ['资讯', '信息'],
  ['演算法', '算法'],
  ['伺服器', '服务器'],
  ['资料中心', '数据中心'],
  ['晶片', '芯片'],
  ['云端平台', '云平台'],
  ['云端运算', '云计算'],
  ['业者', '企业、厂商', '创从就作'], // 创业者, 从业者 are mainland words
  ['执行长', '首席执行官'],
  ['藉由', '借助、通过'],
  ['藉此', '借此'],
  ['可藉', '可借助'],
  ['凭藉', '凭借'],
  ['想像', '想象'],
  ['辨识', '识别'],
  ['圆饼图', '饼图'],
  ['长条图', '柱状图'],
  ['开发中国家', '发展中国家'],
  ['开发中的', '发展中的'],
  ['经济成长', '经济增长'],
  ['租税', '税收'],
  ['低利', '低息'],
  ['建置', '部署、建设'],
  ['身分', '身份'],
  ['失业给付', '失业救济金'],
  ['型态', '形态'],
  ['指挥管制', '指挥控制'],
  ['飞弹', '导弹'],
  ['关灯工厂', '黑灯工厂'],
  ['网状化作战', '网络中心战'],
  ['波湾', '海湾'],
  ['波斯湾协议', '与海湾国家的协议'],
  ['五角大厦', '五角大楼'],
  ['南韩', '韩国'],
  ['沙乌地', '沙特'],
  ['阿布达比', '阿布扎比'],
  ['川普', '特朗普'],
  ['范斯', '万斯'],
  ['大卫·萨克斯', '戴维·萨克斯'],
];

/** The Taiwan words in `text` (derived zh-Hans), each once, in the order of the list. */
export function taiwanWordsIn(text: string): (readonly [string, string])[] {
  return TAIWAN_WORDS.filter(([w, , partOf]) => {
    for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1))
      if (!partOf || at === 0 || !partOf.includes(text[at - 1]!)) return true;
    return false;
  }).map(([w, m]) => [w, m] as const);
}
