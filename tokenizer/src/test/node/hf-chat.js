// Renders conversations with the tokenizer_config.json chat template (Jinja) through @lenml/tokenizers.
// usage: node hf-chat.js NODE_MODULES TOKENIZER_JSON TOKENIZER_CONFIG_JSON < conversations.json
const path = require('path');
const fs = require('fs');
const [modules, tokenizerJsonPath, tokenizerConfigPath] = process.argv.slice(2);
const { TokenizerLoader } = require(path.join(modules, '@lenml/tokenizers'));
const config = JSON.parse(fs.readFileSync(tokenizerConfigPath, 'utf8'));
// This Jinja port has no `is string` test. Every message here has list content, for which the
// test is false, and so is `is none`.
config.chat_template = config.chat_template.replaceAll(' is string', ' is none');
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(fs.readFileSync(tokenizerJsonPath, 'utf8')),
  tokenizerConfig: config,
});
const conversations = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = conversations.map((messages) =>
  tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }));
process.stdout.write(JSON.stringify(out));
