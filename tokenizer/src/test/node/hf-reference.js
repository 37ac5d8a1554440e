// Encodes texts with @lenml/tokenizers (a port of Hugging Face tokenizers) from a tokenizer.json.
// usage: node hf-reference.js NODE_MODULES TOKENIZER_JSON TOKENIZER_CONFIG_JSON < texts.json > result.json
// input: JSON array of strings; output: JSON array of {ids, decoded}.
const path = require('path');
const fs = require('fs');
const [modules, tokenizerJsonPath, tokenizerConfigPath] = process.argv.slice(2);
const { TokenizerLoader } = require(path.join(modules, '@lenml/tokenizers'));
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(fs.readFileSync(tokenizerJsonPath, 'utf8')),
  tokenizerConfig: JSON.parse(fs.readFileSync(tokenizerConfigPath, 'utf8')),
});
const texts = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = texts.map((text) => {
  const ids = tokenizer.encode(text, { add_special_tokens: true });
  return { ids, decoded: tokenizer.decode(ids, { skip_special_tokens: false }) };
});
process.stdout.write(JSON.stringify(out));
