package io.tessera.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads a Hugging Face {@code tokenizer.json} with a BPE model: vocab and merges, normalizer,
 * pre-tokenizer, post-processor (for BOS/EOS), decoder and added tokens. Components outside the
 * SentencePiece-style subset are rejected by name rather than approximated.
 */
final class HfTokenizerJsonLoader {
    private HfTokenizerJsonLoader() {
    }

    static Tokenizer load(Path file) {
        String source = file.toString();
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = new ObjectMapper().readTree(in);
        } catch (JacksonException e) {
            throw notJson(source, e);
        } catch (IOException e) {
            throw new TokenizerFormatException(source, "cannot read: " + e.getMessage(), e);
        }
        return load(source, root);
    }

    /** The parser's complaint as one line, with the line and column where it stopped. */
    static TokenizerFormatException notJson(String source, JacksonException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        String problem = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
        return new TokenizerFormatException(source, "not valid JSON" + where + ": " + problem, e);
    }

    static Tokenizer load(String source, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException(source, "the top level is not a JSON object");
        }
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw new TokenizerFormatException(source, "has no \"model\" object");
        }
        String modelType = model.path("type").isString() ? model.path("type").stringValue() : "BPE";
        if (!modelType.equals("BPE")) {
            throw new TokenizerFormatException(source, "model type " + modelType + " is not supported (supported: BPE)");
        }
        requireAbsentOrEmpty(source, model, "continuing_subword_prefix");
        requireAbsentOrEmpty(source, model, "end_of_word_suffix");
        if (model.path("dropout").isNumber() && model.path("dropout").doubleValue() != 0.0) {
            throw new TokenizerFormatException(source, "BPE dropout is not supported");
        }
        if (model.path("ignore_merges").asBoolean(false)) {
            throw new TokenizerFormatException(source, "BPE ignore_merges is not supported");
        }
        JsonNode vocabNode = model.path("vocab");
        if (!vocabNode.isObject()) {
            throw new TokenizerFormatException(source, "model.vocab is not an object");
        }
        JsonNode addedNode = root.path("added_tokens");
        int size = 0;
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            size = Math.max(size, checkedId(source, e.getValue(), "model.vocab[" + e.getKey() + "]") + 1);
        }
        for (JsonNode t : addedNode) {
            size = Math.max(size, checkedId(source, t.path("id"), "added token") + 1);
        }
        String[] tokens = new String[size];
        TokenType[] types = new TokenType[size];
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            int id = e.getValue().intValue();
            tokens[id] = e.getKey();
            types[id] = Vocabulary.byteValue(e.getKey()) >= 0 ? TokenType.BYTE : TokenType.NORMAL;
        }
        String unkToken = model.path("unk_token").isString() ? model.path("unk_token").stringValue() : null;
        for (JsonNode t : addedNode) {
            int id = t.path("id").intValue();
            String content = t.path("content").asString("");
            for (String flag : new String[] {"single_word", "lstrip", "rstrip"}) {
                if (t.path(flag).asBoolean(false)) {
                    throw new TokenizerFormatException(source, "added token " + content + " has " + flag
                            + "=true, which is not supported");
                }
            }
            tokens[id] = content;
            types[id] = content.equals(unkToken) ? TokenType.UNKNOWN
                    : t.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED;
        }
        for (int i = 0; i < size; i++) {
            if (tokens[i] == null) {
                tokens[i] = "";
                types[i] = TokenType.UNUSED;
            }
        }
        Vocabulary vocab = new Vocabulary(source, tokens, null, types);
        int unk = unkToken == null ? -1 : vocab.id(unkToken).orElseThrow(() ->
                new TokenizerFormatException(source, "unk_token " + unkToken + " is not in the vocabulary"));

        List<String[]> merges = new ArrayList<>();
        int index = 0;
        for (JsonNode m : model.path("merges")) {
            if (m.isArray() && m.size() == 2) {
                merges.add(new String[] {m.get(0).asString(), m.get(1).asString()});
            } else if (m.isString() && m.stringValue().indexOf(' ', 1) > 0) {
                String s = m.stringValue();
                int space = s.indexOf(' ', 1);
                merges.add(new String[] {s.substring(0, space), s.substring(space + 1)});
            } else {
                throw new TokenizerFormatException(source, "merge " + index + " is neither a pair nor \"a b\"");
            }
            index++;
        }
        BpeModel bpe = BpeModel.byRank(source, vocab, merges, model.path("byte_fallback").asBoolean(false),
                unk, model.path("fuse_unk").asBoolean(false));

        Tokenizer.Builder b = Tokenizer.builder(source, vocab, bpe)
                .normalizer(normalizer(source, root.path("normalizer")))
                .preTokenizer(preTokenizer(source, root.path("pre_tokenizer")))
                .stripLeadingSpace(decoderStripsLeadingSpace(source, root.path("decoder")));
        int bos = -1;
        int eos = -1;
        JsonNode post = root.path("post_processor");
        if (post.isObject()) {
            String type = post.path("type").asString("");
            if (!type.equals("TemplateProcessing")) {
                throw new TokenizerFormatException(source, "post_processor " + type + " is not supported");
            }
            JsonNode single = post.path("single");
            boolean seenSequence = false;
            for (JsonNode piece : single) {
                if (piece.has("Sequence")) {
                    seenSequence = true;
                } else if (piece.has("SpecialToken")) {
                    String name = piece.path("SpecialToken").path("id").asString();
                    JsonNode ids = post.path("special_tokens").path(name).path("ids");
                    int id = ids.size() == 1 ? ids.get(0).intValue()
                            : vocab.id(name).orElseThrow(() -> new TokenizerFormatException(source,
                            "post_processor names " + name + ", which is not in the vocabulary"));
                    if (seenSequence) {
                        eos = id;
                    } else {
                        bos = id;
                    }
                }
            }
        } else if (!post.isMissingNode() && !post.isNull()) {
            throw new TokenizerFormatException(source, "post_processor is not an object");
        }
        boolean addBos = bos >= 0;
        boolean addEos = eos >= 0;
        if (bos < 0) {
            bos = firstId(vocab, "<bos>", "<s>");
        }
        if (eos < 0) {
            eos = firstId(vocab, "<eos>", "</s>");
        }
        return b.special(new Tokenizer.SpecialIds(bos, eos, unk, firstId(vocab, "<pad>")))
                .addBos(addBos).addEos(addEos).build();
    }

    private static int firstId(Vocabulary vocab, String... texts) {
        for (String t : texts) {
            if (vocab.id(t).isPresent()) {
                return vocab.id(t).getAsInt();
            }
        }
        return -1;
    }

    private static int checkedId(String source, JsonNode node, String what) {
        if (!node.isIntegralNumber() || node.longValue() < 0 || node.longValue() >= 1 << 24) {
            throw new TokenizerFormatException(source, what + " has id " + node + ", not an integer in [0, 2^24)");
        }
        return node.intValue();
    }

    private static void requireAbsentOrEmpty(String source, JsonNode model, String field) {
        JsonNode n = model.path(field);
        if (n.isString() && !n.stringValue().isEmpty()) {
            throw new TokenizerFormatException(source, "BPE " + field + " is not supported");
        }
    }

    private static Pattern pattern(String source, JsonNode p, String where) {
        if (p.has("String")) {
            return Pattern.compile(Pattern.quote(p.path("String").asString()));
        }
        if (p.has("Regex")) {
            return Pattern.compile(p.path("Regex").asString());
        }
        throw new TokenizerFormatException(source, where + " has a pattern that is neither String nor Regex");
    }

    private static TextNormalizer normalizer(String source, JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return new TextNormalizer.Sequence(List.of());
        }
        String type = n.path("type").asString("");
        return switch (type) {
            case "Replace" -> {
                JsonNode p = n.path("pattern");
                if (!p.has("String")) {
                    throw new TokenizerFormatException(source, "normalizer Replace with a regex pattern is not supported");
                }
                yield new TextNormalizer.Replace(p.path("String").asString(), n.path("content").asString(""));
            }
            case "Prepend" -> new TextNormalizer.Prepend(n.path("prepend").asString(""));
            case "NFC" -> new TextNormalizer.UnicodeForm(Normalizer.Form.NFC);
            case "NFD" -> new TextNormalizer.UnicodeForm(Normalizer.Form.NFD);
            case "NFKC" -> new TextNormalizer.UnicodeForm(Normalizer.Form.NFKC);
            case "NFKD" -> new TextNormalizer.UnicodeForm(Normalizer.Form.NFKD);
            case "Sequence" -> {
                List<TextNormalizer> steps = new ArrayList<>();
                for (JsonNode s : n.path("normalizers")) {
                    steps.add(normalizer(source, s));
                }
                yield new TextNormalizer.Sequence(steps);
            }
            default -> throw new TokenizerFormatException(source, "normalizer " + type + " is not supported");
        };
    }

    private static PreTokenizer preTokenizer(String source, JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return new PreTokenizer.Whole();
        }
        String type = n.path("type").asString("");
        return switch (type) {
            case "Split" -> new PreTokenizer.Split(pattern(source, n.path("pattern"), "pre_tokenizer Split"),
                    behavior(source, n.path("behavior").asString("Isolated")), n.path("invert").asBoolean(false));
            case "Metaspace" -> new PreTokenizer.Metaspace(n.path("replacement").asString("\u2581"),
                    n.has("prepend_scheme") ? n.path("prepend_scheme").asString()
                            : n.path("add_prefix_space").asBoolean(true) ? "always" : "never",
                    n.path("split").asBoolean(true));
            case "Sequence" -> {
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode s : n.path("pretokenizers")) {
                    steps.add(preTokenizer(source, s));
                }
                yield new PreTokenizer.Sequence(steps);
            }
            default -> throw new TokenizerFormatException(source, "pre_tokenizer " + type + " is not supported");
        };
    }

    private static PreTokenizer.Behavior behavior(String source, String name) {
        return switch (name) {
            case "Removed" -> PreTokenizer.Behavior.REMOVED;
            case "Isolated" -> PreTokenizer.Behavior.ISOLATED;
            case "MergedWithPrevious" -> PreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> PreTokenizer.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> PreTokenizer.Behavior.CONTIGUOUS;
            default -> throw new TokenizerFormatException(source, "split behavior " + name + " is not supported");
        };
    }

    /**
     * Checks that the decoder is the SentencePiece chain this tokenizer decodes with ({@code ▁} →
     * space, byte fallback, fuse) and tells whether it strips the dummy-prefix space.
     */
    private static boolean decoderStripsLeadingSpace(String source, JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            throw new TokenizerFormatException(source, "has no decoder; only the SentencePiece decoder chain is supported");
        }
        List<JsonNode> steps = new ArrayList<>();
        if (n.path("type").asString("").equals("Sequence")) {
            n.path("decoders").forEach(steps::add);
        } else {
            steps.add(n);
        }
        boolean replacesMetaspace = false;
        boolean strip = false;
        for (JsonNode s : steps) {
            String type = s.path("type").asString("");
            switch (type) {
                case "Replace" -> {
                    if (!s.path("pattern").path("String").asString("").equals("\u2581")
                            || !s.path("content").asString("").equals(" ")) {
                        throw new TokenizerFormatException(source, "decoder Replace other than \u2581 -> space is not supported");
                    }
                    replacesMetaspace = true;
                }
                case "Metaspace" -> {
                    replacesMetaspace = true;
                    String scheme = s.has("prepend_scheme") ? s.path("prepend_scheme").asString()
                            : s.path("add_prefix_space").asBoolean(true) ? "always" : "never";
                    strip |= !scheme.equals("never");
                }
                case "Strip" -> {
                    if (!s.path("content").asString(" ").equals(" ") || s.path("stop").asInt(0) != 0
                            || s.path("start").asInt(0) > 1) {
                        throw new TokenizerFormatException(source, "decoder Strip other than one leading space is not supported");
                    }
                    strip |= s.path("start").asInt(0) == 1;
                }
                case "ByteFallback", "Fuse" -> {
                }
                default -> throw new TokenizerFormatException(source, "decoder " + type + " is not supported");
            }
        }
        if (!replacesMetaspace) {
            throw new TokenizerFormatException(source, "decoder does not turn \u2581 into spaces; not a SentencePiece decoder");
        }
        return strip;
    }
}
