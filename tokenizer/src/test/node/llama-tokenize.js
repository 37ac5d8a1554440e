// Tokenizes texts with llama.cpp (node-llama-cpp's prebuilt libllama), loading only the vocabulary
// of a GGUF file. usage: node llama-tokenize.js NODE_MODULES MODEL.gguf < texts.json
// output: JSON array of {special: ids with special tokens parsed, plain: ids without}; no BOS added.
const path = require('path');
const fs = require('fs');
const url = require('url');
(async () => {
  const [modules, modelPath] = process.argv.slice(2);
  const { getLlama, LlamaLogLevel } = await import(url.pathToFileURL(path.join(modules, 'node-llama-cpp/dist/index.js')).href);
  const llama = await getLlama({ gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true,
    progressLogs: false, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  const texts = JSON.parse(fs.readFileSync(0, 'utf8'));
  const out = texts.map((text) => ({
    special: Array.from(model.tokenize(text, true)),
    plain: Array.from(model.tokenize(text, false)),
  }));
  process.stdout.write(JSON.stringify(out));
  await model.dispose();
  await llama.dispose();
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
