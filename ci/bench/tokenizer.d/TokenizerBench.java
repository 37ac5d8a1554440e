import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.gguf.ModelTokenizers;
import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Encode throughput of our tokenizer, single thread, loaded from the Gemma 3 tokenizer.json and
 * from a GGUF vocabulary written from it (which this program also writes, for llama.cpp).
 * usage: TokenizerBench TOKENIZER_JSON TEXT WARMUP_TEXT OUT.gguf
 * The text is encoded line by line (each line with its newline), without BOS, special tokens parsed.
 */
public final class TokenizerBench {
    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]);
        byte[] textBytes = Files.readAllBytes(Path.of(args[1]));
        List<String> lines = lines(new String(textBytes, StandardCharsets.UTF_8));
        List<String> warmup = lines(Files.readString(Path.of(args[2])));
        Path gguf = Path.of(args[3]);
        writeVocabGguf(SentencePieceVocab.fromTokenizerJson(json), gguf);
        report("tessera (tokenizer.json)", Tokenizer.load(json), lines, warmup, textBytes.length);
        report("tessera (GGUF vocabulary)", ModelTokenizers.load(gguf), lines, warmup, textBytes.length);
    }

    static List<String> lines(String text) {
        return List.of(text.split("(?<=\n)"));
    }

    static void report(String name, Tokenizer t, List<String> lines, List<String> warmup, long bytes) {
        for (int i = 0; i < 3; i++) {
            for (String line : warmup) {
                t.encode(line, false, true);
            }
        }
        double best = Double.MAX_VALUE;
        long tokens = 0;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            tokens = 0;
            for (String line : lines) {
                tokens += t.encode(line, false, true).length;
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("%-28s %8.2f MB/s  %9d tokens  %7.3f s (best of 3, %d lines)%n",
                name, bytes / 1e6 / best, tokens, best, lines.size());
    }

    /** A vocabulary-only gemma3 GGUF: the tokenizer keys plus the hyper-parameters llama.cpp requires. */
    static void writeVocabGguf(SentencePieceVocab v, Path file) throws Exception {
        long[] types = new long[v.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = v.types()[i].code();
        }
        String arch = "gemma3";
        new GgufWriter()
                .putString(GgufKeys.ARCHITECTURE, arch)
                .putUInt32(GgufKeys.contextLength(arch), 32768)
                .putUInt32(GgufKeys.embeddingLength(arch), 64)
                .putUInt32(GgufKeys.blockCount(arch), 1)
                .putUInt32(GgufKeys.feedForwardLength(arch), 128)
                .putUInt32(GgufKeys.headCount(arch), 2)
                .putUInt32(GgufKeys.headCountKv(arch), 1)
                .putUInt32(GgufKeys.keyLength(arch), 32)
                .putUInt32(GgufKeys.valueLength(arch), 32)
                .putFloat32(GgufKeys.rmsNormEpsilon(arch), 1e-6f)
                .putFloat32(GgufKeys.ropeFreqBase(arch), 1e6f)
                .putUInt32(GgufKeys.slidingWindow(arch), 512)
                .putString(GgufKeys.TOKENIZER_MODEL, "llama")
                .putString(GgufKeys.TOKENIZER_PRE, "default")
                .putStrings(GgufKeys.TOKENIZER_TOKENS, v.tokens())
                .putFloats(GgufKeys.TOKENIZER_SCORES, v.scores())
                .putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, types)
                .putUInt32(GgufKeys.TOKENIZER_BOS_ID, v.bosId())
                .putUInt32(GgufKeys.TOKENIZER_EOS_ID, v.eosId())
                .putUInt32(GgufKeys.TOKENIZER_UNKNOWN_ID, v.unknownId())
                .putUInt32(GgufKeys.TOKENIZER_PADDING_ID, v.paddingId())
                .putBool(GgufKeys.TOKENIZER_ADD_BOS, true)
                .putBool(GgufKeys.TOKENIZER_ADD_SPACE_PREFIX, false)
                .write(file);
    }
}
