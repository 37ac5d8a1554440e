// Encode throughput of the references, single thread, on the same text as TokenizerBench.java:
// line by line (each line with its newline), no BOS, special tokens parsed.
// usage: node bench.js hf NODE_MODULES TOKENIZER_JSON TOKENIZER_CONFIG TEXT WARMUP_TEXT
//        node bench.js llama NODE_MODULES MODEL.gguf TEXT WARMUP_TEXT
'use strict';
const fs = require('fs');
const path = require('path');
const url = require('url');

const lines = (text) => text.split(/(?<=\n)/);

function measure(name, encode, textFile, warmupFile) {
  const bytes = fs.statSync(textFile).size;
  const text = lines(fs.readFileSync(textFile, 'utf8'));
  const warmup = lines(fs.readFileSync(warmupFile, 'utf8'));
  for (let i = 0; i < 3; i++) for (const l of warmup) encode(l);
  // One timed pass: @lenml/tokenizers caches the encoding of each word it has seen, so a second
  // pass over the same text would measure its cache.
  const start = process.hrtime.bigint();
  let tokens = 0;
  for (const l of text) tokens += encode(l).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${name.padEnd(28)} ${(bytes / 1e6 / seconds).toFixed(2).padStart(8)} MB/s  ${String(tokens).padStart(9)} tokens  ${seconds.toFixed(3).padStart(7)} s (one pass, ${text.length} lines)`);
}

(async () => {
  const [mode, modules, ...rest] = process.argv.slice(2);
  if (mode === 'hf') {
    const [json, config, textFile, warmupFile] = rest;
    const { TokenizerLoader } = require(path.join(modules, '@lenml/tokenizers'));
    const tokenizer = TokenizerLoader.fromPreTrained({
      tokenizerJSON: JSON.parse(fs.readFileSync(json, 'utf8')),
      tokenizerConfig: JSON.parse(fs.readFileSync(config, 'utf8')),
    });
    measure('@lenml/tokenizers 3.7.2', (l) => tokenizer.encode(l, { add_special_tokens: false }), textFile, warmupFile);
  } else if (mode === 'llama') {
    const [modelPath, textFile, warmupFile] = rest;
    const { getLlama, LlamaLogLevel } = await import(url.pathToFileURL(path.join(modules, 'node-llama-cpp/dist/index.js')).href);
    const llama = await getLlama({ gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true,
      progressLogs: false, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath, vocabOnly: true });
    measure('llama.cpp (node-llama-cpp)', (l) => model.tokenize(l, true), textFile, warmupFile);
    await model.dispose();
    await llama.dispose();
  } else {
    throw new Error('mode must be hf or llama');
  }
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
