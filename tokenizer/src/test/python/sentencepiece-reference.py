"""Trains SentencePiece models with Debian's python3-sentencepiece and encodes texts with them.

usage: /usr/bin/python3 sentencepiece-reference.py WORK_DIR < request.json > result.json
request: {"training_text": str, "models": [{"name": str, "options": {trainer options}}], "texts": [str]}
result:  {name: {"model": path of the trained tokenizer.model, "ids": [[id, ...] per text],
                 "decoded": [decode(ids) per text]}}
Exit code 3 when the sentencepiece module is missing.
"""
import json
import os
import sys

try:
    import sentencepiece as spm
except ImportError as e:
    print("the sentencepiece module is missing (Debian package python3-sentencepiece): %s" % e, file=sys.stderr)
    sys.exit(3)


def main():
    work = sys.argv[1]
    request = json.load(sys.stdin)
    training = os.path.join(work, "training.txt")
    with open(training, "w", encoding="utf-8") as f:
        f.write(request["training_text"])
    result = {}
    for m in request["models"]:
        prefix = os.path.join(work, m["name"])
        spm.SentencePieceTrainer.train(input=training, model_prefix=prefix, minloglevel=2, num_threads=1,
                                       **m["options"])
        processor = spm.SentencePieceProcessor(model_file=prefix + ".model")
        ids = [processor.encode(t, out_type=int) for t in request["texts"]]
        result[m["name"]] = {"model": prefix + ".model", "ids": ids, "decoded": [processor.decode(i) for i in ids]}
    json.dump(result, sys.stdout)


main()
