// node scripts/gen-pack.mjs N DIR: writes a valid content pack of N modules to DIR (created; it
// must not exist or must be empty), for scale tests and the bench.
//
// The modules are the built-in pack's, cycled: each round of seven looks at the race from one
// region or sector (a unique id and file, a title that says which), with its own relevance per
// audience (so a big pack's selection is not seven ties repeated), a few points about that region
// or sector, and its own source (so the sources slide has many to choose from). The points,
// facts, charts, quotes and recommendations taken over keep their text: real sentences in en and
// zh-Hant. Each module drops the original's detail points (priority 3) that nothing refers to,
// its comments, and most of its speaker notes, so that 700 modules stay well within the loader's
// limits. The files are edited as text, line by line: 700 modules take a fraction of a second.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'content', 'real-ai-race');

const LENSES = [
  ['southeast-asia', 'Southeast Asia', '東南亞'],
  ['europe', 'Europe', '歐洲'],
  ['gulf-states', 'the Gulf states', '波灣國家'],
  ['india', 'India', '印度'],
  ['japan-korea', 'Japan and South Korea', '日本與南韓'],
  ['latin-america', 'Latin America', '拉丁美洲'],
  ['africa', 'Africa', '非洲'],
  ['taiwan-strait', 'the Taiwan Strait', '臺灣海峽'],
  ['pacific-islands', 'the Pacific islands', '太平洋島國'],
  ['central-asia', 'Central Asia', '中亞'],
  ['nordics', 'the Nordic countries', '北歐國家'],
  ['canada-mexico', 'Canada and Mexico', '加拿大與墨西哥'],
  ['semiconductors', 'semiconductors', '半導體產業'],
  ['energy', 'the energy sector', '能源產業'],
  ['health', 'health care', '醫療照護'],
  ['finance', 'finance', '金融業'],
  ['logistics', 'logistics and shipping', '物流與航運'],
  ['education', 'education', '教育'],
  ['space', 'space and satellites', '太空與衛星'],
  ['cyber', 'cyber defence', '網路防禦'],
];
// Family and given names apart, so a short citation takes the family name (Chen, not Yi-ting).
const AUTHORS = [
  ['Hartmann', 'Lena'],
  ['Menon', 'Ravi'],
  ['Sato', 'Akiko'],
  ['Okafor', 'Daniel'],
  ['Silva', 'Marta'],
  ['Chen', 'Yi-ting'],
  ['Greer', 'Samuel'],
  ['Haddad', 'Nadia'],
];
const PUBLISHERS = [
  ['Centre for Technology and Statecraft', '科技與治國研究中心'],
  ['Institute for Strategic Computing', '戰略運算研究所'],
  ['Council on Emerging Technology', '新興科技委員會'],
  ['Asia-Pacific Policy Forum', '亞太政策論壇'],
];

/** Points about the module's region or sector: enough, with the originals', for a 30-slide deck from 7 modules. */
const LENS_POINTS = [
  [
    1,
    'In {en}, governments weigh American and Chinese AI offers on price, access and trust, not on frontier performance alone.',
    '在{zh}，各國政府衡量美中兩方的人工智慧方案時，看重價格、取得管道與信任，而不只是前沿效能。',
  ],
  [
    2,
    'Buyers in {en} often hedge by using models from both countries, a choice that export rules may later narrow.',
    '{zh}的買家常同時採用兩國的模型以分散風險，但出口規定日後可能縮小這樣的選擇。',
  ],
  [
    2,
    'Skills are the bottleneck in {en}: training programmes lag behind the pace at which new AI tools arrive.',
    '人才是{zh}的瓶頸：訓練計畫趕不上新人工智慧工具推出的速度。',
  ],
  [
    3,
    'Power supply and data-centre capacity in {en} decide how much AI can run locally rather than in foreign clouds.',
    '{zh}的電力供應與資料中心容量，決定有多少人工智慧能在本地運作，而不必仰賴外國雲端。',
  ],
  [
    2,
    'Rules written in {en} on data, safety and procurement will shape which tech stack becomes the default there.',
    '{zh}在資料、安全與採購上訂定的規則，將左右哪一套技術堆疊成為當地的預設選擇。',
  ],
  [
    3,
    'Local firms in {en} tend to adopt cheap open-source models first, which gives Chinese providers an early foothold.',
    '{zh}的在地企業往往先採用便宜的開源模型，讓中國業者及早取得立足點。',
  ],
];

function fail(message) {
  process.stderr.write(`gen-pack: ${message}\nusage: node scripts/gen-pack.mjs N DIR\n`);
  process.exit(2);
}

const [countArg, dir, ...rest] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || count > 10000 || rest.length > 0 || !dir)
  fail(`expected a module count (1 to 10000) and a folder; received \`${process.argv.slice(2).join(' ')}\``);
let existing = [];
try {
  existing = readdirSync(dir);
} catch (cause) {
  if (cause.code !== 'ENOENT') fail(`cannot use \`${dir}\`: ${cause.message}`);
}
if (existing.length > 0) fail(`\`${dir}\` is not empty`);

const q = (s) => JSON.stringify(s);
const packText = readFileSync(join(SOURCE, 'pack.yaml'), 'utf8');
const order = /^modules: \[(.*)\]$/m
  .exec(packText)[1]
  .split(',')
  .map((s) => s.trim());
const originals = order.map((id) => readFileSync(join(SOURCE, 'modules', `${id}.yaml`), 'utf8'));

/** A number in [0, 1) from a string: the same pack every run. */
function unit(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** Round `r` (0-based): its region or sector, and the id of its source. */
function lensOf(round) {
  const [slug, en, zh] = LENSES[round % LENSES.length];
  const lap = Math.floor(round / LENSES.length);
  const suffix = lap === 0 ? '' : `-${lap + 1}`;
  return { slug: slug + suffix, en, zh, lap, source: `${slug}${suffix}-outlook` };
}

/**
 * A module's lines without comments and without the priority-3 points nothing refers to, with
 * `extra` lines at the end of its points.
 */
function shortened(text, extra) {
  const out = [];
  let section = '';
  let item = [];
  const flush = () => {
    const detail =
      item.includes('    priority: 3') && !item.some((l) => l.startsWith('  - id: ') || l.startsWith('    id: '));
    if (!(section === 'points' && detail)) out.push(...item);
    item = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (line !== '' && !line.startsWith(' ')) {
      flush();
      if (section === 'points') out.push(...extra);
      section = line.slice(0, line.indexOf(':'));
      out.push(line);
    } else {
      if (line.startsWith('  - ')) flush();
      item.push(line);
    }
  }
  flush();
  if (section === 'points') out.push(...extra);
  return out;
}

function moduleText(text, base, round) {
  const lens = lensOf(round);
  const id = `${base}-${lens.slug}`;
  const edition = lens.lap === 0 ? '' : ` (${lens.lap + 1})`;
  const editionZh = lens.lap === 0 ? '' : `（${lens.lap + 1}）`;
  const extra = LENS_POINTS.flatMap(([priority, en, zh], i) => [
    `  - text: { en: ${q(en.replace('{en}', lens.en).replace(/^in the/, 'In the'))}, zh-Hant: ${q(zh.replace('{zh}', lens.zh))} }`,
    `    priority: ${priority}`,
    `    source: { id: ${lens.source}, at: "p. ${3 + 4 * i + (round % 4)}" }`,
  ]);
  // Some authors write speaker notes, some leave them to the points.
  const withNotes = unit(`${id}/notes`) < 0.4;
  const lines = shortened(text, extra).flatMap((line) => {
    if (line.startsWith('id: ')) return [`id: ${id}`];
    if (line.startsWith('notes: ')) return withNotes ? [line] : [];
    if (line.startsWith('title: ')) {
      const en = /en: "([^"]*)"/.exec(line)[1];
      const zh = /zh-Hant: "([^"]*)"/.exec(line)[1];
      return [`title: { en: ${q(`${en}: ${lens.en}${edition}`)}, zh-Hant: ${q(`${zh}：${lens.zh}${editionZh}`)} }`];
    }
    if (line.startsWith('relevance: ')) {
      // Each audience's interest, scaled by 0.4 to 1 per module and audience.
      return [
        line.replace(/(\w+): ([0-9.]+)/g, (_, who, v) => {
          const scaled = Number(v) * (0.4 + 0.6 * unit(`${id}/${who}`));
          return `${who}: ${Math.max(0.05, Math.round(scaled * 100) / 100)}`;
        }),
      ];
    }
    // Every other round cites its own source for what the original took from Kahl and Mitre.
    return [round % 2 === 1 ? line.replaceAll('id: kahl-mitre-2025,', `id: ${lens.source},`) : line];
  });
  return { id, text: `${lines.join('\n').trimEnd()}\n` };
}

mkdirSync(join(dir, 'modules'), { recursive: true });
const ids = [];
const rounds = Math.ceil(count / originals.length);
for (let k = 0; k < count; k++) {
  const round = Math.floor(k / originals.length);
  const { id, text } = moduleText(originals[k % originals.length], order[k % originals.length], round);
  ids.push(id);
  writeFileSync(join(dir, 'modules', `${id}.yaml`), text);
}

const sources = [];
for (let round = 0; round < rounds; round++) {
  const lens = lensOf(round);
  const [publisher, publisherZh] = PUBLISHERS[round % PUBLISHERS.length];
  const authors = [AUTHORS[round % AUTHORS.length], AUTHORS[(round * 3 + 1) % AUTHORS.length]];
  sources.push(
    `  - id: ${lens.source}`,
    `    title: { en: ${q(`The AI race seen from ${lens.en}${lens.lap === 0 ? '' : `, edition ${lens.lap + 1}`}`)}, zh-Hant: ${q(`從${lens.zh}看人工智慧競賽${lens.lap === 0 ? '' : `（第${lens.lap + 1}版）`}`)} }`,
    `    authors: [${authors.map(([family, given]) => `{ family: ${q(family)}, given: ${q(given)} }`).join(', ')}]`,
    `    publisher: { en: ${q(publisher)}, zh-Hant: ${q(publisherZh)} }`,
    `    year: ${2024 + (round % 2)}`,
  );
}
const pack = packText
  .replace(/^id: .*$/m, `id: generated-${count}`)
  .replace(/^modules: \[.*\]$/m, `modules:\n${ids.map((id) => `  - ${id}`).join('\n')}`)
  .replace(/^glossary:$/m, `${sources.join('\n')}\nglossary:`);
writeFileSync(join(dir, 'pack.yaml'), pack);
