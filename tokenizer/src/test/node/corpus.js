// The tokenizer comparison corpus: the hand-written texts of corpus.json followed by texts made by a
// seeded generator (mulberry32, so every run and every machine gets the same corpus): English
// prose, code, numbers, emoji (ZWJ sequences, skin tones, flags, keycaps), CJK, Arabic, Hebrew,
// Devanagari and other scripts, combining accents, runs of spaces/tabs/newlines, text that looks
// like special tokens, control and unassigned characters, empty texts, mixtures, and one line of
// more than 100 kB. Lone surrogates are never produced (they have no UTF-8 form).
//
// usage: node corpus.js              prints the corpus as a JSON array of strings
//        node corpus.js --mixed N    prints about N bytes (UTF-8) of mixed text, for benchmarks
//        node corpus.js --training N prints about N bytes of text for training a small SentencePiece
//                                    model, as a JSON string: the categories with few distinct characters
'use strict';
const fs = require('fs');
const path = require('path');

const SEED = 20250305;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeGenerator(seed) {
  const rnd = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p) => rnd() < p;
  const times = (n, f) => Array.from({ length: n }, (_, i) => f(i));
  const cp = (lo, hi) => String.fromCodePoint(int(lo, hi));
  const run = (n, lo, hi) => times(n, () => cp(lo, hi)).join('');

  const WORDS = ('the of and to in is that it was for on are with as his they be at one have this from or had ' +
    'by word but what some we can out other were all there when up use your how said an each she which do ' +
    'their time if will way about many then them write would like so these her long make thing see him two ' +
    'has look more day could go come did number sound no most people my over know water than call first who ' +
    'may down side been now find any new work part take get place made live where after back little only ' +
    'round man year came show every good me give our under name very through just form sentence great think ' +
    'say help low line differ turn cause much mean before move right boy old too same tell does set three ' +
    'want air well also play small end put home read hand port large spell add even land here must big high ' +
    'such follow act why ask men change went light kind off need house picture try us again animal point ' +
    'mother world near build self earth father tokenizer transformer attention embedding gradient inference ' +
    'quantization vocabulary probability distribution encyclopaedia antidisestablishmentarianism ' +
    'pneumonoultramicroscopicsilicovolcanoconiosis supercalifragilisticexpialidocious naïve café résumé ' +
    'coöperate façade jalapeño doppelgänger Zürich São Paulo Kraków Ångström').split(' ');
  const NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Eve', 'Mallory', 'Trent', 'Gemma', 'Ada', 'Linus', 'Grace',
    'Ken', 'Dennis', 'Barbara', 'Edsger', 'Donald', 'McDonald', "O'Brien", 'van der Berg', 'José', 'Zoë'];
  const PUNCT = ['.', '.', '.', '!', '?', '...', '?!', ';', ':', ' —', ' –', '…'];

  function sentence() {
    const n = int(3, 18);
    const words = times(n, () => (chance(0.06) ? pick(NAMES) : pick(WORDS)));
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    for (let i = 1; i < n - 1; i++) {
      if (chance(0.08)) words[i] += ',';
      if (chance(0.03)) words[i] = '"' + words[i] + '"';
      if (chance(0.03)) words[i] = '(' + words[i] + ')';
      if (chance(0.02)) words[i] = words[i].toUpperCase();
      if (chance(0.02)) words[i] += "'s";
    }
    return words.join(' ') + pick(PUNCT);
  }
  const prose = () => times(int(1, 5), sentence).join(chance(0.8) ? ' ' : '  ');

  const IDENT = ['x', 'i', 'j', 'n', 'count', 'total_sum', 'maxValue', 'getUserById', 'HTTPServer', 'parse_json',
    'self', 'this', 'tmp2', '_private', '__init__', 'kMaxSize', 'std', 'vec', 'Vec3f', 'buf', 'ptr', 'len'];
  const indent = () => (chance(0.7) ? ' '.repeat(pick([0, 2, 4, 4, 8, 12])) : '\t'.repeat(int(1, 3)));
  const CODE = [
    () => `def ${pick(IDENT)}(${pick(IDENT)}, ${pick(IDENT)}=${int(0, 99)}):\n${indent()}return ${pick(IDENT)} ** ${int(2, 9)}\n`,
    () => `for (int ${pick(IDENT)} = 0; i < ${int(1, 4096)}; i++) {\n${indent()}${pick(IDENT)}[i] += ${pick(IDENT)}[i] * ${int(1, 9)}.${int(0, 99)}f;\n}`,
    () => `public static ${pick(['void', 'int', 'String', 'List<Map<String, Integer>>'])} ${pick(IDENT)}(${pick(['', 'int a', 'String... args', 'Object o'])}) throws IOException {`,
    () => `const ${pick(IDENT)} = await fetch(\`https://api.example.com/v${int(1, 3)}/${pick(IDENT)}?id=\${${pick(IDENT)}}\`);`,
    () => `#include <${pick(['stdio.h', 'stdlib.h', 'vector', 'unordered_map', 'cuda_runtime.h'])}>\n#define ${pick(IDENT).toUpperCase()} ${int(0, 65535)}\n`,
    () => `if (${pick(IDENT)} != NULL && ${pick(IDENT)}->${pick(IDENT)} >= ${int(0, 100)}) { return -${int(1, 9)}; }`,
    () => `{"${pick(IDENT)}": ${int(-1000, 1000)}, "${pick(WORDS)}": [${times(int(0, 5), () => int(0, 99)).join(', ')}], "ok": ${pick(['true', 'false', 'null'])}}`,
    () => `SELECT ${pick(IDENT)}, COUNT(*) FROM ${pick(WORDS)}s WHERE ${pick(IDENT)} LIKE '%${pick(WORDS)}%' GROUP BY 1 ORDER BY 2 DESC;`,
    () => `<${pick(['div', 'span', 'p', 'a', 'td'])} class="${pick(WORDS)}-${pick(WORDS)}" id="${pick(IDENT)}">${sentence()}</${pick(['div', 'span', 'p'])}>`,
    () => `$ ${pick(['ls -la', 'grep -rn "TODO" src/', 'git log --oneline | head -5', 'echo $PATH', 'make -j8 all'])}\n`,
    () => `${pick(IDENT)}:\n\t$(CC) $(CFLAGS) -o $@ $^ -l${pick(['m', 'pthread', 'dl'])}\n`,
    () => `let re = /^(?:[a-z0-9!#$%&'*+/=?^_\`{|}~-]+)@(?:[a-z]{2,${int(3, 9)}})$/i;`,
    () => `@@ -${int(1, 300)},${int(1, 9)} +${int(1, 300)},${int(1, 9)} @@\n-    ${pick(IDENT)}();\n+    ${pick(IDENT)}(${pick(IDENT)});`,
    () => `fn ${pick(IDENT)}<'a, T: Clone>(xs: &'a [T]) -> Option<&'a T> { xs.iter().${pick(['next', 'last', 'max'])}() }`,
    () => `// ${sentence()}\n/* ${sentence()} */\n# ${sentence()}`,
    () => `x = [${times(int(1, 12), () => (chance(0.5) ? int(-99, 999) : (rnd() * 100).toFixed(int(1, 4)))).join(',')}]`,
  ];
  const code = () => times(int(1, 3), () => pick(CODE)()).join('\n');

  const NUMBERS = [
    () => String(int(0, 9)),
    () => String(int(0, 1e6)),
    () => times(int(10, 40), () => int(0, 9)).join(''),
    () => `${chance(0.3) ? '-' : ''}${int(0, 9999)}.${times(int(1, 8), () => int(0, 9)).join('')}`,
    () => `${int(1, 9)}.${int(0, 999)}e${chance(0.5) ? '-' : '+'}${int(1, 308)}`,
    () => `0x${int(0, 0x7fffffff).toString(16).toUpperCase()} 0b${int(0, 255).toString(2)} 0o${int(0, 511).toString(8)}`,
    () => `$${int(1, 999)},${String(int(0, 999)).padStart(3, '0')}.${String(int(0, 99)).padStart(2, '0')}`,
    () => `${int(1, 99)}% ${pick(['€', '£', '¥', '₹', '₩', '₽'])}${int(1, 9999)} ${int(1, 99)}°C`,
    () => `${int(1900, 2100)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}T${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}Z`,
    () => `${int(1, 255)}.${int(0, 255)}.${int(0, 255)}.${int(0, 255)}:${int(1, 65535)}`,
    () => `v${int(0, 20)}.${int(0, 99)}.${int(0, 999)}-rc.${int(1, 9)}+build.${int(1, 9999)}`,
    () => `+${int(1, 99)} (${int(100, 999)}) ${int(100, 999)}-${int(1000, 9999)}`,
    () => pick(['½', '¾', '⅓', '²', '³', '₁₂', 'Ⅻ', 'ⅳ', '①②③', '∞', 'π≈3.14159', '√2', '1/3']),
    () => run(int(1, 6), 0x0660, 0x0669) + ' ' + run(int(1, 6), 0x0966, 0x096F) + ' ' + run(int(1, 6), 0xFF10, 0xFF19),
    () => times(int(2, 8), () => int(0, 99999)).join(pick([', ', ' ', '\t', ' | ', ';'])),
  ];
  const numbers = () => times(int(1, 6), () => pick(NUMBERS)()).join(pick([' ', ', ', ' and ', '\n']));

  const EMOJI = ['😀', '😂', '🤣', '😍', '🥺', '😭', '🙏', '👍', '👋', '🔥', '✨', '🎉', '💯', '🚀', '🤖', '🧠', '🍕',
    '🐍', '🦀', '☕', '⚡', '✅', '❌', '⭐', '🌍', '🏳️‍🌈', '🏴‍☠️', '❤️', '❤️‍🔥', '🫠', '🫶', '🪿', '🧑‍💻',
    '👩‍🔬', '👨‍🚀', '👨‍👩‍👧‍👦', '👩‍❤️‍💋‍👨', '🧑‍🤝‍🧑', '🐻‍❄️', '😶‍🌫️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '©️', '™️', '↔️', '☺︎', '#️⃣', '1️⃣', '9️⃣'];
  const TONES = ['\u{1F3FB}', '\u{1F3FC}', '\u{1F3FD}', '\u{1F3FE}', '\u{1F3FF}'];
  const TONED = ['👍', '👋', '🙌', '👏', '🤝', '💪', '🧑', '👩', '👨', '🧒', '🤷', '🙋'];
  const regional = () => cp(0x1F1E6, 0x1F1FF) + cp(0x1F1E6, 0x1F1FF);
  const EMOJI_PARTS = [
    () => pick(EMOJI),
    () => pick(TONED) + pick(TONES),
    () => pick(['🧑', '👩', '👨']) + pick(TONES) + '\u200D' + pick(['💻', '🔬', '🚀', '🍳', '🎨', '⚕️', '🌾']),
    () => [pick(['👨', '👩']), pick(['👨', '👩']), pick(['👧', '👦'])].join('\u200D') + (chance(0.5) ? '\u200D' + pick(['👧', '👦']) : ''),
    () => pick(['👩', '👨']) + pick(TONES) + '\u200D🤝\u200D' + pick(['👩', '👨']) + pick(TONES),
    () => regional(),
    () => pick(EMOJI).repeat(int(2, 6)),
    () => cp(0x1F300, 0x1FAFF),
  ];
  const emoji = () => times(int(1, 8), () => (chance(0.6) ? pick(EMOJI_PARTS)() : pick(WORDS))).join(chance(0.5) ? ' ' : '');

  const CJK_PHRASES = ['你好，世界！', '今天天气很好。', '机器学习和自然语言处理', '我们在测试分词器。', '東京は日本の首都です。',
    'ありがとうございます', 'カタカナとひらがな', '漢字仮名交じり文', '안녕하세요, 세계!', '한국어 형태소 분석', '中華人民共和國',
    '「引用」と『二重引用』', '全角スペース\u3000あり', '龘靐齉爩', '𠀀𠀁𠀂𪚥𩸽'];
  const CJK = [
    () => pick(CJK_PHRASES),
    () => run(int(1, 20), 0x4E00, 0x9FFF),
    () => run(int(1, 15), 0x3041, 0x3096),
    () => run(int(1, 15), 0x30A1, 0x30FA),
    () => run(int(1, 12), 0xAC00, 0xD7A3),
    () => run(int(1, 6), 0x20000, 0x2A6DF),
    () => run(int(1, 6), 0x3400, 0x4DBF),
    () => run(int(1, 6), 0x1100, 0x11FF),
  ];
  const cjk = () => times(int(1, 5), () => pick(CJK)()).join(pick(['', '', ' ', '、', '。', '，']));

  const ARABIC_WORDS = ['مرحبا', 'بالعالم', 'السلام عليكم', 'كتاب', 'مدرسة', 'الذكاء الاصطناعي', 'اللغة العربية',
    'شكراً', 'مُحَمَّد', 'قُرْآن', 'فارسی', 'اردو', '٢٠٢٤', 'ﷲ', 'ﻻ'];
  const arabic = () => times(int(1, 8), () => pick([
    () => pick(ARABIC_WORDS),
    () => run(int(2, 8), 0x0621, 0x064A),
    () => times(int(2, 6), () => cp(0x0621, 0x064A) + cp(0x064B, 0x0652)).join(''),
    () => '\u200F' + pick(ARABIC_WORDS) + '\u200E',
    () => pick(WORDS),
  ])()).join(chance(0.8) ? ' ' : '، ') + pick(['', '.', '؟', '!']);
  const hebrew = () => times(int(1, 6), () => (chance(0.7) ? run(int(2, 7), 0x05D0, 0x05EA) : pick(['שָׁלוֹם', 'עִבְרִית', 'תורה']))).join(' ');

  const DEVANAGARI_WORDS = ['नमस्ते', 'दुनिया', 'हिन्दी', 'भारत', 'संस्कृतम्', 'क्षत्रिय', 'ज्ञान', 'प्रश्न', 'श्री', 'मराठी', 'नेपाली', '१२३४'];
  const devanagari = () => times(int(1, 8), () => pick([
    () => pick(DEVANAGARI_WORDS),
    () => times(int(1, 4), () => cp(0x0915, 0x0939) + (chance(0.5) ? cp(0x093E, 0x094C) : '\u094D' + cp(0x0915, 0x0939)) + (chance(0.2) ? '\u0902' : '')).join(''),
    () => run(int(1, 5), 0x0900, 0x097F),
  ])()).join(' ') + pick(['', '।', '॥', '?']);

  const OTHER_SCRIPTS = [
    () => run(int(2, 10), 0x0E01, 0x0E3A), // Thai
    () => run(int(2, 10), 0x0410, 0x044F), // Cyrillic
    () => run(int(2, 10), 0x03B1, 0x03C9), // Greek
    () => run(int(2, 8), 0x0531, 0x0556), // Armenian
    () => run(int(2, 8), 0x10D0, 0x10F0), // Georgian
    () => run(int(2, 8), 0x0B85, 0x0BB9), // Tamil
    () => run(int(2, 8), 0x0980, 0x09FF), // Bengali
    () => run(int(2, 8), 0x1200, 0x137C), // Ethiopic
    () => run(int(2, 8), 0x0F40, 0x0F6C), // Tibetan
    () => pick(['Привет, мир!', 'Γειά σου Κόσμε', 'สวัสดีครับ', 'Xin chào thế giới', 'Tiếng Việt có dấu: ắ ặ ẳ ẵ ễ ộ ữ',
      'Straße', 'İstanbul ışık', 'Ꭰ Ꮳ Ꮿ', 'ᚠᚢᚦᚨᚱᚲ', 'ⴰⵣⵓⵍ']),
  ];
  const otherScripts = () => times(int(1, 6), () => pick(OTHER_SCRIPTS)()).join(' ');

  const combining = () => times(int(1, 10), () => {
    const base = pick(['a', 'e', 'i', 'o', 'u', 'n', 'c', 'A', 'E', 'Z', 'y', 's', 'α', 'и', 'ا', 'क', ' ', '']);
    const marks = run(int(1, 4), 0x0300, 0x036F);
    return chance(0.7) ? base + marks : pick(['é', 'ñ', 'ü', 'ç', 'å', 'ø', 'ǖ', 'ậ', 'ḯ']) + (chance(0.5) ? '\u0301' : '');
  }).join(chance(0.5) ? ' ' : '');

  const SPACES = [' ', '  ', '   ', '\t', '\t\t', '\n', '\n\n', '\n\n\n', '\r\n', '\r', ' \n', '\n ', ' \t ',
    '\u00A0', '\u3000', '\u2003', '\u2009', '\u202F', '\u000B', '\u000C', '\u2028', '\u2029', '\u0085'];
  const whitespace = () => pick([
    () => ' '.repeat(int(1, 200)),
    () => '\t'.repeat(int(1, 40)),
    () => '\n'.repeat(int(1, 80)),
    () => times(int(1, 30), () => pick(SPACES)).join(''),
    () => times(int(2, 10), () => pick(SPACES) + pick(WORDS)).join('') + pick(SPACES),
    () => ' '.repeat(int(1, 30)) + sentence() + ' '.repeat(int(1, 30)),
    () => times(int(2, 6), () => indent() + pick(WORDS)).join('\n'),
    () => '\r\n'.repeat(int(1, 20)) + pick(WORDS),
  ])();

  const SPECIAL = ['<start_of_turn>', '<end_of_turn>', '<bos>', '<eos>', '<pad>', '<unk>', '<mask>', '[multimodal]',
    '<start_of_image>', '<end_of_image>', '<image_soft_token>'];
  const LOOKALIKE = ['<start_of_', 'start_of_turn>', '<start_of_turn', '<end_of_turn', 'end_of_turn>', '<<bos>>', '</bos>',
    '<bos ', '< bos>', '<BOS>', '<Bos>', '<eos/>', '<s>', '</s>', '<|im_start|>', '<|endoftext|>', '<|turn>', '<turn|>',
    '<start_of_<bos>turn>', '<start_of_turn><start_of_turn>', '<<start_of_turn>>', '<unused', 'unused0>', '<image>',
    '<start_of_audio>', '<audio_soft_token>', '<loc0001>', '<seg012>', '<0x', '0x41>', '<0x4', '<0x41', '<>', '<', '>'];
  const byteLike = () => pick([
    () => `<0x${int(0, 255).toString(16).toUpperCase().padStart(2, '0')}>`,
    () => `<0x${int(0, 255).toString(16).padStart(2, '0')}>`,
    () => `<0x${pick(['G1', 'ZZ', '100', '1', '-1', '  '])}>`,
  ])();
  const special = () => {
    const parts = times(int(1, 8), () => pick([
      () => pick(SPECIAL),
      () => pick(LOOKALIKE),
      () => byteLike(),
      () => `<unused${int(0, chance(0.8) ? 6300 : 99999)}>`,
      () => pick(WORDS),
      () => sentence(),
      () => pick(['\n', ' ', '\n\n', '']),
    ])());
    if (chance(0.3)) {
      return `<start_of_turn>${pick(['user', 'model', 'system'])}\n${parts.join('')}<end_of_turn>\n` +
        (chance(0.5) ? '<start_of_turn>model\n' : '');
    }
    return parts.join(pick(['', ' ', '\n']));
  };

  const control = () => times(int(1, 10), () => pick([
    () => cp(0x00, 0x1F), () => '\u007F', () => cp(0x80, 0x9F), () => cp(0x200B, 0x200F), () => cp(0x202A, 0x202E),
    () => cp(0x2060, 0x2064), () => '\uFEFF', () => '\u00AD', () => '\u001B[' + int(0, 107) + 'm', () => pick(WORDS),
  ])()).join(chance(0.5) ? ' ' : '');

  const rare = () => times(int(1, 8), () => pick([
    () => run(int(1, 3), 0xE000, 0xF8FF), // private use
    () => run(int(1, 2), 0xF0000, 0xFFFFD), // supplementary private use
    () => pick(['\u0378', '\u0379', '\u0E3B', '\u2FFF', '\uFFFE', '\uFFFF', '\u{10FFFF}', '\u{E0001}', '\uFFFD']),
    () => run(int(1, 4), 0x13000, 0x1342E), // Egyptian hieroglyphs
    () => run(int(1, 4), 0x1D400, 0x1D6A3), // mathematical alphanumerics
    () => run(int(1, 4), 0x10000, 0x1005D), // Linear B
    () => run(int(1, 4), 0x1D100, 0x1D126), // musical symbols
    () => run(int(1, 4), 0x2800, 0x28FF), // braille
    () => run(int(1, 3), 0x12000, 0x12399), // cuneiform
    () => '\u2581' + pick(WORDS),
    () => pick(WORDS),
  ])()).join(pick(['', ' ']));

  const markup = () => pick([
    () => `https://${pick(WORDS)}.${pick(['com', 'org', 'io', 'co.uk', 'рф', '中国'])}/${pick(IDENT)}?${pick(IDENT)}=${int(0, 999)}&lang=${pick(['en', 'fr', 'zh-Hant'])}#${pick(WORDS)}`,
    () => `${pick(IDENT)}.${pick(WORDS)}@${pick(WORDS)}.${pick(['com', 'net', 'de'])}`,
    () => `# ${sentence()}\n\n- ${sentence()}\n- **${pick(WORDS)}** _${pick(WORDS)}_ \`${pick(IDENT)}\`\n\n> ${sentence()}`,
    () => `| ${pick(WORDS)} | ${int(0, 99)} |\n|---|---:|\n| ${pick(WORDS)} | ${int(0, 99)} |`,
    () => `[${pick(WORDS)}](${pick(['http://a.b/c', '../x.md', '#top'])}) ![img](pic_${int(0, 9)}.png)`,
    () => '-'.repeat(int(3, 80)) + '\n' + '='.repeat(int(3, 80)),
    () => pick(['!!!', '???', '...', '***', '###', '___', '~~~', '```']).repeat(int(1, 30)),
    () => `C:\\Users\\${pick(NAMES)}\\${pick(WORDS)}.txt /usr/local/lib/${pick(IDENT)}.so.${int(0, 9)}`,
  ])();

  const CATEGORIES = { prose, code, numbers, emoji, cjk, arabic, hebrew, devanagari, otherScripts, combining,
    whitespace, special, control, rare, markup };
  const names = Object.keys(CATEGORIES);
  const fragment = () => CATEGORIES[pick(names)]();
  const mixed = () => times(int(2, 6), fragment).join(pick(['', ' ', '\n', '\t', '  ', '\n\n']));
  return { CATEGORIES, fragment, mixed, int, pick, sentence };
}

/** The corpus: hand-written texts, then generated ones. */
function corpus() {
  const handWritten = JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus.json'), 'utf8'));
  const g = makeGenerator(SEED);
  const counts = { prose: 220, code: 180, numbers: 140, emoji: 160, cjk: 150, arabic: 90, hebrew: 30, devanagari: 90,
    otherScripts: 60, combining: 110, whitespace: 150, special: 220, control: 40, rare: 60, markup: 60 };
  const out = [...handWritten];
  for (const [name, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) out.push(g.CATEGORIES[name]());
  }
  for (let i = 0; i < 420; i++) out.push(g.mixed());
  for (let i = 0; i < 30; i++) out.push('');
  // Long runs of one thing, and long mixed lines.
  out.push('a'.repeat(5000), ' '.repeat(3000), '\n'.repeat(2000), '\t'.repeat(1000), '😀'.repeat(1000),
    '<bos>'.repeat(500), '<0x41>'.repeat(300), '1234567890'.repeat(500), 'é'.repeat(2000), 'e\u0301'.repeat(1000));
  for (let i = 0; i < 3; i++) out.push(mixedOfSize(g, 10_000, ' '));
  out.push(mixedOfSize(g, 100 * 1024, ' ').replace(/[\n\r\u2028\u2029\u0085\u000B\u000C]/g, ' '));
  return out;
}

/** Mixed fragments joined by sep until the text has at least `bytes` bytes of UTF-8. */
function mixedOfSize(g, bytes, sep) {
  const parts = [];
  let size = 0;
  while (size < bytes) {
    const f = g.mixed();
    parts.push(f);
    size += Buffer.byteLength(f, 'utf8') + Buffer.byteLength(sep, 'utf8');
  }
  return parts.join(sep);
}

/** Lines from the categories whose characters a small vocabulary can cover, until `bytes` bytes. */
function trainingText(bytes) {
  const g = makeGenerator(SEED + 2);
  const names = ['prose', 'prose', 'prose', 'code', 'code', 'numbers', 'markup', 'special', 'whitespace', 'arabic',
    'devanagari', 'combining'];
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const line = g.CATEGORIES[g.pick(names)]();
    lines.push(line);
    size += Buffer.byteLength(line, 'utf8') + 1;
  }
  return lines.join('\n');
}

module.exports = { corpus, makeGenerator, mixedOfSize, trainingText, SEED };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--mixed') {
    process.stdout.write(mixedOfSize(makeGenerator(SEED + 1), Number(args[1]), '\n'));
  } else if (args[0] === '--training') {
    process.stdout.write(JSON.stringify(trainingText(Number(args[1]))));
  } else {
    process.stdout.write(JSON.stringify(corpus()));
  }
}
