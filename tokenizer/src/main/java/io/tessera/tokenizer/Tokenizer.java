package io.tessera.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * SentencePiece-style BPE tokenizer of the Gemma family, one implementation behind every file
 * format ({@link TokenizerFiles}): added tokens are cut out of the raw text first, each remaining
 * segment is normalised (space → {@code ▁}), split into words, and BPE-encoded with byte fallback.
 * SentencePiece models normalise the whole text first and find added tokens in the result.
 * Immutable and safe to share between threads.
 */
public final class Tokenizer {
    private final String source;
    private final Vocabulary vocab;
    private final BpeModel model;
    private final AddedTokenMatcher added;
    private final BitSet addedFirstChars;
    private final TextNormalizer normalizer;
    private final String dummyPrefix;
    private final PreTokenizer preTokenizer;
    private final SpecialIds special;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean stripLeadingSpace;
    private final boolean consumeLeadingMetaspace;
    private final boolean normalizeBeforeAddedTokens;

    /** Ids of the special tokens a file names; -1 where it names none. */
    public record SpecialIds(int bos, int eos, int unknown, int padding) {
    }

    private Tokenizer(Builder b) {
        this.source = b.source;
        this.vocab = b.vocab;
        this.model = b.model;
        this.normalizer = b.normalizer;
        this.dummyPrefix = b.dummyPrefix;
        this.preTokenizer = b.preTokenizer;
        this.special = b.special;
        this.addBos = b.addBos;
        this.addEos = b.addEos;
        this.stripLeadingSpace = b.stripLeadingSpace;
        this.consumeLeadingMetaspace = b.consumeLeadingMetaspace;
        this.normalizeBeforeAddedTokens = b.normalizeBeforeAddedTokens;
        this.added = new AddedTokenMatcher();
        this.addedFirstChars = new BitSet(1 << 16);
        for (int id = 0; id < vocab.size(); id++) {
            TokenType t = vocab.type(id);
            boolean control = t == TokenType.CONTROL || t == TokenType.UNKNOWN;
            if ((control || t == TokenType.USER_DEFINED) && !vocab.token(id).isEmpty()) {
                added.add(vocab.token(id), id, control);
                addedFirstChars.set(vocab.token(id).charAt(0));
            }
        }
    }

    /** Loads a tokenizer from a {@code tokenizer.json}, {@code tokenizer.model} or GGUF file, detected by content. */
    public static Tokenizer load(Path file) {
        return TokenizerFiles.load(file);
    }

    /** The tokenizer described by a model file's {@code tokenizer.ggml.*} metadata. */
    public static Tokenizer fromMetadata(TokenizerMetadata metadata) {
        return GgufVocabLoader.load(metadata);
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    public SpecialIds specialIds() {
        return special;
    }

    /** Whether {@link #encode(String)} starts with the BOS token, as the file says. */
    public boolean addsBos() {
        return addBos;
    }

    public String source() {
        return source;
    }

    /** Encodes with the file's BOS/EOS rule, recognising special-token text as special tokens. */
    public int[] encode(String text) {
        return encode(text, addBos, true);
    }

    /**
     * Encodes text.
     *
     * @param withBos      start with the BOS token (when the vocabulary has one)
     * @param parseSpecial recognise the text of control tokens ({@code <start_of_turn>}) as those
     *                     tokens; when false such text is encoded as ordinary characters.
     *                     User-defined tokens are always recognised.
     */
    public int[] encode(String input, boolean withBos, boolean parseSpecial) {
        IntList out = new IntList();
        if (withBos && special.bos() >= 0) {
            out.add(special.bos());
        }
        String text = normalizeBeforeAddedTokens ? normalizeWhole(input) : input;
        int segmentStart = 0;
        int pos = 0;
        while (pos < text.length()) {
            if (addedFirstChars.get(text.charAt(pos))) {
                long m = added.matchAt(text, pos, parseSpecial);
                if (m >= 0) {
                    encodeSegment(text, segmentStart, pos, out);
                    out.add((int) m);
                    pos += (int) (m >>> 32);
                    segmentStart = pos;
                    continue;
                }
            }
            pos++;
        }
        encodeSegment(text, segmentStart, text.length(), out);
        if (addEos && special.eos() >= 0) {
            out.add(special.eos());
        }
        return out.toArray();
    }

    /** SentencePiece order: the whole text is normalised, with the dummy prefix, before added tokens are found. */
    private String normalizeWhole(String text) {
        String normalized = normalizer.apply(text);
        return dummyPrefix.isEmpty() || normalized.isEmpty() ? normalized : dummyPrefix + normalized;
    }

    private void encodeSegment(String text, int from, int to, IntList out) {
        if (from >= to) {
            return;
        }
        String normalized;
        if (normalizeBeforeAddedTokens) {
            normalized = text.substring(from, to);
        } else {
            normalized = normalizer.apply(text.substring(from, to));
            if (from == 0 && !dummyPrefix.isEmpty() && !normalized.isEmpty()) {
                normalized = dummyPrefix + normalized;
            }
        }
        List<String> words = new ArrayList<>();
        preTokenizer.split(normalized, from == 0, words);
        for (String w : words) {
            model.encode(w, 0, w.length(), out);
        }
    }

    /** Decodes ids to text, with control tokens written as their text. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** Decodes ids to text: {@code ▁} becomes a space and byte-fallback runs are fused into UTF-8. */
    public String decode(int[] ids, boolean skipControl) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (skipControl && isControl(id)) {
                continue;
            }
            byte[] b = pieceBytes(id, bytes.size() == 0);
            bytes.write(b, 0, b.length);
        }
        String s = bytes.toString(StandardCharsets.UTF_8);
        return stripLeadingSpace && s.startsWith(" ") ? s.substring(1) : s;
    }

    /** A decoder for generated tokens that emits text only for complete UTF-8 characters. */
    public StreamingDecoder streamingDecoder(boolean skipControl) {
        return new StreamingDecoder(this, skipControl, stripLeadingSpace);
    }

    /**
     * The bytes a token adds to decoded text. With SentencePiece's decoding rule, while nothing
     * visible has been decoded yet ({@code atStart}), a piece loses its leading {@code ▁} (the dummy
     * prefix, or spaces the normaliser would have removed), and control tokens decode to nothing
     * (sentencepiece_processor.cc, {@code DecodeSentencePiece}).
     */
    byte[] pieceBytes(int id, boolean atStart) {
        if (!consumeLeadingMetaspace) {
            return tokenBytes(id);
        }
        if (isControl(id)) {
            return new byte[0];
        }
        byte[] b = tokenBytes(id);
        if (atStart && b.length > 0 && b[0] == ' ' && vocab.type(id) != TokenType.BYTE) {
            return java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return b;
    }

    boolean isControl(int id) {
        TokenType t = vocab.type(id);
        return t == TokenType.CONTROL;
    }

    /** The UTF-8 bytes a token stands for. */
    byte[] tokenBytes(int id) {
        if (vocab.type(id) == TokenType.BYTE) {
            int b = Vocabulary.byteValue(vocab.token(id));
            if (b >= 0) {
                return new byte[] {(byte) b};
            }
        }
        return vocab.token(id).replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }

    /** The id of a marker token of the Gemma family, looked up by its text in this vocabulary. */
    public OptionalInt marker(Marker marker) {
        return vocab.id(marker.text());
    }

    /** The id of a marker token; fails with a message naming the marker and the file when absent. */
    public int requireMarker(Marker marker) {
        return vocab.id(marker.text()).orElseThrow(() -> new TokenizerFormatException(source,
                "the vocabulary has no " + marker.text() + " token (" + marker + ")"));
    }

    /** PaliGemma location token {@code <locNNNN>}, {@code 0 <= index < 1024}. */
    public int locationToken(int index) {
        if (index < 0 || index >= 1024) {
            throw new IllegalArgumentException("location index " + index + " is outside [0, 1024)");
        }
        return requireText("<loc%04d>".formatted(index));
    }

    /** PaliGemma segmentation token {@code <segNNN>}, {@code 0 <= index < 128}. */
    public int segmentationToken(int index) {
        if (index < 0 || index >= 128) {
            throw new IllegalArgumentException("segmentation index " + index + " is outside [0, 128)");
        }
        return requireText("<seg%03d>".formatted(index));
    }

    private int requireText(String text) {
        return vocab.id(text).orElseThrow(() -> new TokenizerFormatException(source,
                "the vocabulary has no " + text + " token"));
    }

    static Builder builder(String source, Vocabulary vocab, BpeModel model) {
        return new Builder(source, vocab, model);
    }

    static final class Builder {
        private final String source;
        private final Vocabulary vocab;
        private final BpeModel model;
        private TextNormalizer normalizer = new TextNormalizer.Replace(" ", "\u2581");
        private String dummyPrefix = "";
        private PreTokenizer preTokenizer = new PreTokenizer.Whole();
        private SpecialIds special = new SpecialIds(-1, -1, -1, -1);
        private boolean addBos;
        private boolean addEos;
        private boolean stripLeadingSpace;
        private boolean consumeLeadingMetaspace;
        private boolean normalizeBeforeAddedTokens;

        private Builder(String source, Vocabulary vocab, BpeModel model) {
            this.source = source;
            this.vocab = vocab;
            this.model = model;
        }

        Builder normalizer(TextNormalizer n) {
            this.normalizer = n;
            return this;
        }

        /** A prefix added once, to the first segment when it starts the text (SentencePiece's dummy prefix). */
        Builder dummyPrefix(String p) {
            this.dummyPrefix = p;
            return this;
        }

        Builder preTokenizer(PreTokenizer p) {
            this.preTokenizer = p;
            return this;
        }

        Builder special(SpecialIds s) {
            for (int id : new int[] {s.bos(), s.eos(), s.unknown(), s.padding()}) {
                if (id >= vocab.size()) {
                    throw new TokenizerFormatException(source, "special token id " + id
                            + " is outside the vocabulary of " + vocab.size() + " tokens");
                }
            }
            this.special = s;
            return this;
        }

        Builder addBos(boolean b) {
            this.addBos = b;
            return this;
        }

        Builder addEos(boolean b) {
            this.addEos = b;
            return this;
        }

        Builder stripLeadingSpace(boolean b) {
            this.stripLeadingSpace = b;
            return this;
        }

        /** Decodes by SentencePiece's rule for leading spaces, see {@link Tokenizer#pieceBytes}. */
        Builder consumeLeadingMetaspace(boolean b) {
            this.consumeLeadingMetaspace = b;
            return this;
        }

        /**
         * Normalises the whole text before looking for added tokens, as SentencePiece does (its
         * user-defined symbols are matched in normalised text), instead of normalising each segment
         * between added tokens, as Hugging Face tokenizers and llama.cpp do.
         */
        Builder normalizeBeforeAddedTokens(boolean b) {
            this.normalizeBeforeAddedTokens = b;
            return this;
        }

        Tokenizer build() {
            return new Tokenizer(this);
        }
    }
}
