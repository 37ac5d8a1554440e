package io.tessera.tasks.kernels.selftest;

import static io.tessera.tasks.api.TaskGraph.KERNEL_CONTEXT;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.WorkerGrid;
import io.tessera.tasks.kernels.Activation;
import io.tessera.tasks.kernels.AltUp;
import io.tessera.tasks.kernels.Audio;
import io.tessera.tasks.kernels.Attention;
import io.tessera.tasks.kernels.CachedAttention;
import io.tessera.tasks.kernels.Conv;
import io.tessera.tasks.kernels.Elementwise;
import io.tessera.tasks.kernels.Embedding;
import io.tessera.tasks.kernels.ExpertMatVec;
import io.tessera.tasks.kernels.ImageAttention;
import io.tessera.tasks.kernels.KvCache;
import io.tessera.tasks.kernels.LocalAttention;
import io.tessera.tasks.kernels.MatMul;
import io.tessera.tasks.kernels.MatVec;
import io.tessera.tasks.kernels.Norm;
import io.tessera.tasks.kernels.Patches;
import io.tessera.tasks.kernels.Pool;
import io.tessera.tasks.kernels.Reduce;
import io.tessera.tasks.kernels.Rope;
import io.tessera.tasks.kernels.Route;
import io.tessera.tasks.kernels.Softmax;
import io.tessera.tasks.kernels.Sparsity;
import io.tessera.tasks.kernels.selftest.KernelCase.Shape;

/**
 * Every kernel of the library with the shapes {@code tessera selftest} checks it at: the size 1,
 * odd sizes, sizes that are not a multiple of any work-group, and a model-like size. Quantised
 * weights keep {@code k} a multiple of the 32-element block.
 */
public final class KernelCases {
    /** NMSE bound for kernels whose devices differ from the JVM only in summation order and libm. */
    static final double FLOAT_TOLERANCE = 1e-9;

    private KernelCases() {
    }

    public static List<KernelCase> all() {
        List<KernelCase> c = new ArrayList<>();
        elementwise(c);
        embedding(c);
        matrices(c);
        norms(c);
        attention(c);
        positional(c);
        vision(c);
        reductions(c);
        audio(c);
        experts(c);
        conformer(c);
        streams(c);
        return List.copyOf(c);
    }

    /** The cases whose kernel name ({@code Class.method} or {@code method}) contains {@code filter}. */
    public static List<KernelCase> matching(String filter) {
        return all().stream().filter(k -> k.name().contains(filter)).toList();
    }

    private static void elementwise(List<KernelCase> c) {
        for (String binary : List.of("add", "mul")) {
            c.add(of(Elementwise.class, binary,
                    s("n=1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1}),
                    s("n=1000", in -> new Object[] {in.f32(1000), in.f32(1000), in.out(1000), 1000})));
        }
        c.add(of(Elementwise.class, "scale",
                s("n=1", in -> new Object[] {in.f32(1), in.out(1), 1, 0.37f}),
                s("n=257", in -> new Object[] {in.f32(257), in.out(257), 257, -2.5f})));
        c.add(of(Elementwise.class, "mulSlice",
                s("3x5 of 3x20 at 10", in -> new Object[] {in.f32(15), in.f32(60), in.out(15), 3, 5, 20, 10})));
        c.add(of(Elementwise.class, "scaleBy",
                s("n=67", in -> new Object[] {in.f32(67), in.f32(1), in.out(67), 67})));
        c.add(of(Elementwise.class, "addScaled",
                s("n=33", in -> new Object[] {in.f32(33), in.f32(33), in.out(33), 33, 0.5f})));
        c.add(of(Elementwise.class, "addBias",
                s("1x1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1, 1}),
                s("3x67", in -> new Object[] {in.f32(3 * 67), in.f32(67), in.out(3 * 67), 3, 67})));
        c.add(of(Elementwise.class, "scaleShift",
                s("n=1", in -> new Object[] {in.f32(1), in.out(1), 1, 2f, -1f}),
                s("n=257", in -> new Object[] {in.f32(257), in.out(257), 257, 2f, -1f})));
        c.add(of(Elementwise.class, "clamp",
                s("n=1", in -> new Object[] {in.f32(1), in.out(1), 1, -0.5f, 0.5f}),
                s("n=300, one side open", in -> new Object[] {in.f32(300), in.out(300), 300, -0.25f, Float.MAX_VALUE}),
                s("n=400", in -> new Object[] {in.f32(400, -3, 3), in.out(400), 400, -1.25f, 2f})));
        c.add(of(Elementwise.class, "standardize",
                s("1x1", in -> new Object[] {in.f32(1), in.f32(1), in.f32(1), in.out(1), 1, 1}),
                s("5x67", in -> new Object[] {in.f32(5 * 67), in.f32(67), in.f32(67), in.out(5 * 67), 5, 67})));
        c.add(of(Elementwise.class, "copy",
                s("n=1", in -> new Object[] {in.f32(4), 3L, in.out(2), 1L, 1}),
                s("n=50 at 7->11", in -> new Object[] {in.f32(100), 7L, in.out(120), 11L, 50})));
        c.add(of(Activation.class, "geluTanh",
                s("n=1", in -> new Object[] {in.f32(1), in.out(1), 1}),
                s("n=999", in -> new Object[] {in.f32(999, -6, 6), in.out(999), 999})));
        c.add(of(Activation.class, "geglu",
                s("n=77", in -> new Object[] {in.f32(77, -4, 4), in.f32(77), in.out(77), 77})));
        c.add(of(Activation.class, "gegluFused",
                s("3x40", in -> new Object[] {in.f32(3 * 80, -4, 4), in.out(3 * 40), 3, 40})));
        c.add(of(Softmax.class, "softmax",
                s("1x1", in -> new Object[] {in.f32(1), in.out(1), 1, 1, 0f}),
                s("3x100", in -> new Object[] {in.f32(300, -10, 10), in.out(300), 3, 100, 0f}),
                s("2x37 softcap 30", in -> new Object[] {in.f32(74, -80, 80), in.out(74), 2, 37, 30f})));
        c.add(of(Softmax.class, "softcap",
                s("n=513", in -> new Object[] {in.f32(513, -100, 100), in.out(513), 513, 50f})));
    }

    /** AltUp stream mixing and activation sparsity (Gemma 3n). */
    private static void streams(List<KernelCase> c) {
        c.add(of(AltUp.class, "predict",
                s("1 stream 1x1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1, 1, 1}),
                s("4 streams 3x37", in -> new Object[] {in.f32(4 * 3 * 37), in.f32(3 * 16), in.out(4 * 3 * 37), 4, 3,
                    37})));
        c.add(of(AltUp.class, "correct",
                s("4 streams 3x37, active 0", in -> new Object[] {in.f32(4 * 3 * 37), in.f32(3 * 37), in.f32(3 * 4),
                    in.out(4 * 3 * 37), 4, 0, 3, 37}),
                s("3 streams 2x5, active 2", in -> new Object[] {in.f32(3 * 2 * 5), in.f32(2 * 5), in.f32(2 * 3),
                    in.out(3 * 2 * 5), 3, 2, 2, 5})));
        c.add(of(AltUp.class, "matchMagnitude",
                s("1x1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 0L, 1, 1}),
                s("3x65 at 195", in -> new Object[] {in.f32(3 * 65), in.f32(3 * 65), in.out(4 * 3 * 65), 195L, 3, 65})));
        c.add(of(AltUp.class, "addToStreams",
                s("streams 1..3 of 4, 3x37", in -> new Object[] {in.f32(4 * 3 * 37), in.f32(3 * 37), 1, 4, 3, 37}),
                s("stream 0 of 1, 1x1", in -> new Object[] {in.f32(1), in.f32(1), 0, 1, 1, 1})));
        c.add(of(AltUp.class, "mean",
                s("4 streams 3x37", in -> new Object[] {in.f32(4 * 3 * 37), in.out(3 * 37), 4, 3, 37}),
                s("1 stream 1x1", in -> new Object[] {in.f32(1), in.out(1), 1, 1, 1})));
        c.add(of(Sparsity.class, "gaussianTopK",
                s("1x2", in -> new Object[] {in.f32(2), in.out(2), 1, 2, 1.6448533535f}),
                s("3x257", in -> new Object[] {in.f32(3 * 257, -3, 3), in.out(3 * 257), 3, 257, 1.6448533535f})));
    }

    private static void embedding(List<KernelCase> c) {
        c.add(of(Embedding.class, "embedF32",
                s("7 of 50x33", in -> new Object[] {in.f32(50 * 33), in.ints(7, 50), in.out(7 * 33), 7, 33, 5.7f})));
        c.add(of(Embedding.class, "addGridPositions",
                s("1 patch", in -> new Object[] {in.f32(3), in.f32(2 * 1 * 3), in.out(3), 1, 3, 1, 1, 1}),
                s("2 images of 4x3 over a table of 5", in -> new Object[] {in.f32(24 * 16), in.f32(2 * 5 * 16),
                    in.out(24 * 16), 24, 16, 12, 4, 5})));
        c.add(of(Embedding.class, "embedF16",
                s("7 of 50x33", in -> new Object[] {in.f16(50 * 33), in.ints(7, 50), in.out(7 * 33), 7, 33, 1f})));
        c.add(of(Embedding.class, "embedBF16",
                s("7 of 50x33", in -> new Object[] {in.bf16(50 * 33), in.ints(7, 50), in.out(7 * 33), 7, 33, 2f})));
        c.add(of(Embedding.class, "embedQ8_0",
                s("1 of 9x32", in -> new Object[] {in.q8_0(9, 32), in.ints(1, 9), in.out(32), 1, 32, 1f}),
                s("7 of 50x96", in -> new Object[] {in.q8_0(50, 96), in.ints(7, 50), in.out(7 * 96), 7, 96, 3f})));
        c.add(of(Embedding.class, "embedQ4_0",
                s("7 of 50x96", in -> new Object[] {in.q4_0(50, 96), in.ints(7, 50), in.out(7 * 96), 7, 96, 3f})));
    }

    private static void matrices(List<KernelCase> c) {
        record Dims(int tokens, int n, int k) {
            String label() {
                return tokens + "x" + n + "x" + k;
            }
        }
        List<Dims> any = List.of(new Dims(1, 1, 1), new Dims(3, 33, 65), new Dims(5, 128, 256));
        List<Dims> blocked = List.of(new Dims(1, 1, 32), new Dims(3, 33, 96), new Dims(5, 128, 256));
        for (String type : List.of("F32", "F16", "BF16", "Q8_0", "Q4_0")) {
            List<Dims> dims = type.startsWith("Q") ? blocked : any;
            List<Shape> vec = new ArrayList<>();
            List<Shape> mat = new ArrayList<>();
            for (Dims d : dims) {
                vec.add(s(d.n() + "x" + d.k(), in -> new Object[] {weights(in, type, d.n(), d.k()), in.f32(d.k()),
                    in.out(d.n()), d.n(), d.k()}));
                mat.add(s(d.label(), in -> new Object[] {weights(in, type, d.n(), d.k()), in.f32((long) d.tokens() * d.k()),
                    in.out((long) d.tokens() * d.n()), d.tokens(), d.n(), d.k()}));
            }
            c.add(new KernelCase(method(MatVec.class, "matVec" + type), vec, FLOAT_TOLERANCE));
            c.add(new KernelCase(method(MatMul.class, "matMul" + type), mat, FLOAT_TOLERANCE));
        }
    }

    /** Routing and the chosen-expert products of a mixture-of-experts feed-forward. */
    private static void experts(List<KernelCase> c) {
        c.add(of(Route.class, "topK",
                s("1 of 1", in -> new Object[] {in.f32(1), in.intOut(1), in.out(1), 1, 1, 1, 0, 1}),
                s("5 tokens, 2 of 8, softmax", in -> new Object[] {in.f32(40, -4, 4), in.intOut(10), in.out(10), 5, 8, 2,
                    0, 1}),
                s("3 tokens, 8 of 128, softmax unnormalised", in -> new Object[] {in.f32(384, -4, 4), in.intOut(24),
                    in.out(24), 3, 128, 8, 0, 0}),
                s("4 tokens, 3 of 16, sigmoid", in -> new Object[] {in.f32(64, -4, 4), in.intOut(12), in.out(12), 4, 16,
                    3, 1, 1})));
        c.add(of(Route.class, "combine",
                s("1x1 of 1", in -> new Object[] {in.f32(1), in.ints(1, 1), in.f32(1), in.f32(1), in.out(1), 1, 1, 1}),
                s("3 tokens, 4 of 9, n=67", in -> new Object[] {in.f32(12 * 67), in.ints(12, 9), in.f32(12, 0, 1),
                    in.f32(9, 0, 2), in.out(3 * 67), 3, 4, 67})));
        // (slots, group, n, k, experts): one decode token's gate/up (group = slots), a tile's down (group 1)
        int[][] any = {{1, 1, 1, 1, 1}, {3, 3, 33, 65, 5}, {8, 1, 17, 40, 6}, {16, 4, 64, 128, 9}};
        int[][] blocked = {{1, 1, 1, 32, 1}, {3, 3, 33, 96, 5}, {8, 1, 17, 64, 6}, {16, 4, 64, 128, 9}};
        for (String type : List.of("F32", "F16", "BF16", "Q8_0", "Q4_0")) {
            List<Shape> shapes = new ArrayList<>();
            for (int[] d : type.startsWith("Q") ? blocked : any) {
                int slots = d[0];
                int group = d[1];
                int n = d[2];
                int k = d[3];
                int experts = d[4];
                shapes.add(s(slots + " slots / " + group + ", " + n + "x" + k + " of " + experts, in -> new Object[] {
                    weights(in, type, experts * n, k), in.f32((long) slots / group * k), in.ints(slots, experts),
                    in.out((long) slots * n), slots, group, n, k}));
            }
            c.add(new KernelCase(method(ExpertMatVec.class, "matVecExperts" + type), shapes, FLOAT_TOLERANCE));
        }
    }

    private static Object weights(CaseInputs in, String type, int n, int k) {
        return switch (type) {
            case "F32" -> in.f32((long) n * k);
            case "F16" -> in.f16((long) n * k);
            case "BF16" -> in.bf16((long) n * k);
            case "Q8_0" -> in.q8_0(n, k);
            case "Q4_0" -> in.q4_0(n, k);
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static void norms(List<KernelCase> c) {
        for (String name : List.of("rmsNorm", "rmsNormOnePlus")) {
            c.add(of(Norm.class, name,
                    s("1x1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1, 1, 1e-6f}),
                    s("3x65", in -> new Object[] {in.f32(195), in.f32(65), in.out(195), 3, 65, 1e-6f}),
                    s("4x640", in -> new Object[] {in.f32(2560), in.f32(640), in.out(2560), 4, 640, 1e-6f})));
        }
        for (String name : List.of("rmsNormHeads", "rmsNormHeadsOnePlus")) {
            c.add(of(Norm.class, name,
                    s("1x1x1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1, 1, 1, 1e-6f}),
                    s("3x4x32", in -> new Object[] {in.f32(384), in.f32(32), in.out(384), 3, 4, 32, 1e-6f}),
                    s("2x3x17", in -> new Object[] {in.f32(102), in.f32(17), in.out(102), 2, 3, 17, 1e-6f})));
        }
        c.add(of(Norm.class, "rmsNormNoScale",
                s("3x65", in -> new Object[] {in.f32(195), in.out(195), 3, 65, 1e-6f})));
        c.add(of(Norm.class, "layerNorm",
                s("1x1", in -> new Object[] {in.f32(1), in.f32(1), in.f32(1), in.out(1), 1, 1, 1e-6f}),
                s("5x72", in -> new Object[] {in.f32(360), in.f32(72), in.f32(72), in.out(360), 5, 72, 1e-6f})));
    }

    private static void attention(List<KernelCase> c) {
        record Heads(int nHead, int nKv, int headDim, int length, int window, float softcap) {
            String label() {
                return nHead + "/" + nKv + "x" + headDim + " L=" + length + (window > 0 ? " W=" + window : "")
                        + (softcap > 0 ? " cap " + softcap : "");
            }
        }
        List<Heads> decode = List.of(new Heads(1, 1, 1, 1, 0, 0), new Heads(4, 2, 16, 37, 8, 0),
                new Heads(8, 1, 64, 100, 0, 50));
        List<Shape> shapes = new ArrayList<>();
        for (Heads h : decode) {
            int q = h.nHead() * h.headDim();
            long kv = (long) (h.length() + 3) * h.nKv() * h.headDim();
            shapes.add(s(h.label(), in -> new Object[] {in.f32(q), in.f32(kv), in.f32(kv), in.out(q), h.nHead(), h.nKv(),
                h.headDim(), h.length(), h.window(), (float) (1 / Math.sqrt(h.headDim())), h.softcap()}));
        }
        c.add(new KernelCase(method(Attention.class, "attentionDecode"), shapes, FLOAT_TOLERANCE));

        record Tile(int tokens, int start, int nHead, int nKv, int headDim, int window, boolean image) {
            String label() {
                return tokens + " at " + start + ", " + nHead + "/" + nKv + "x" + headDim
                        + (window > 0 ? " W=" + window : "") + (image ? " image block" : "");
            }
        }
        List<Tile> tiles = List.of(new Tile(1, 0, 1, 1, 1, 0, false), new Tile(13, 4, 4, 2, 16, 5, false),
                new Tile(20, 0, 4, 1, 32, 0, true));
        List<Shape> prefill = new ArrayList<>();
        for (Tile t : tiles) {
            int positions = t.start() + t.tokens();
            long q = (long) t.tokens() * t.nHead() * t.headDim();
            long kv = (long) positions * t.nKv() * t.headDim();
            prefill.add(s(t.label(), in -> new Object[] {in.f32(q), in.f32(kv), in.f32(kv), blockIds(in, positions, t.image()),
                in.out(q), t.tokens(), t.nHead(), t.nKv(), t.headDim(), t.start(), t.window(),
                (float) (1 / Math.sqrt(t.headDim())), 0f}));
        }
        c.add(new KernelCase(method(Attention.class, "attentionPrefill"), prefill, FLOAT_TOLERANCE));

        c.add(of(CachedAttention.class, "decode",
                s("4/2x16 at 36 W=8", in -> new Object[] {in.f32(64), in.f32(40 * 32), in.f32(40 * 32), in.sequence(1, 36),
                    in.out(64), 4, 2, 16, 8, 0.25f, 0f}),
                s("8/1x64 at 0 cap 50", in -> new Object[] {in.f32(512), in.f32(3 * 64), in.f32(3 * 64), in.sequence(1, 0),
                    in.out(512), 8, 1, 64, 0, 0.125f, 50f})));
        c.add(of(CachedAttention.class, "prefill",
                s("13 at 4, 4/2x16 W=5", in -> new Object[] {in.f32(13 * 64), in.f32(17 * 32), in.f32(17 * 32),
                    in.sequence(13, 4), in.out(13 * 64), 13, 4, 2, 16, 5, 0.25f, 0f})));
        c.add(of(KvCache.class, "store",
                s("3 rows of 24 at 5..7", in -> new Object[] {in.f32(72), in.sequence(3, 5), in.f32(10 * 24), 3, 24})));
        c.add(of(KvCache.class, "gatherRow",
                s("row 2 of 33", in -> new Object[] {in.f32(4 * 33), in.sequence(1, 2), in.out(33), 33})));
    }

    /** Text everywhere, or one image block in the middle of the positions. */
    private static Object blockIds(CaseInputs in, int positions, boolean image) {
        var ids = in.sequence(positions, 0);
        for (int i = 0; i < positions; i++) {
            ids.set(i, image && i >= positions / 4 && i < positions / 4 + positions / 2 ? 1 : 0);
        }
        return ids;
    }

    private static void positional(List<KernelCase> c) {
        c.add(of(Rope.class, "rope",
                s("1x1x2", in -> new Object[] {in.f32(2), in.sequence(1, 5), 1, 1, 2, 2, 10000f, 1f}),
                s("5x3x16", in -> new Object[] {in.f32(240), in.sequence(5, 3), 5, 3, 16, 16, 10000f, 1f}),
                s("4x2x64 partial 32, factor 8", in -> new Object[] {in.f32(512), in.sequence(4, 900), 4, 2, 64, 32,
                    1e6f, 8f})));
        c.add(of(Rope.class, "ropeFactors",
                s("3x2x32, factors 1..2", in -> new Object[] {in.f32(192), in.sequence(3, 17), in.f32(16, 1, 2), 3, 2,
                    32, 32, 1e6f, 1f})));
        c.add(of(Rope.class, "rope2d",
                s("1x1x4", in -> new Object[] {in.f32(4), 1, 1, 4, 1, 1, 100f}),
                s("2 images of 3x4 patches, 3x16", in -> new Object[] {in.f32(24 * 48), 24, 3, 16, 12, 4, 100f})));
        c.add(of(Rope.class, "ropeProportional",
                s("3x2x32, 8 pairs", in -> new Object[] {in.f32(192), in.sequence(3, 17), 3, 2, 32, 8, 1e6f, 1f})));
    }

    private static void vision(List<KernelCase> c) {
        c.add(of(Conv.class, "patchEmbed",
                s("1x5x7 -> 3, 1x1", in -> new Object[] {in.f32(35), in.f32(3), in.f32(3), in.out(35 * 3), 1, 5, 7, 3, 1, 1}),
                s("3x30x28 -> 8, 14x14", in -> new Object[] {in.f32(3 * 30 * 28), in.f32(8 * 3 * 14 * 14), in.f32(8),
                    in.out(4 * 8), 3, 30, 28, 8, 14, 14})));
        c.add(of(Pool.class, "avgPool2dChw",
                s("2x9x8, 4/4", in -> new Object[] {in.f32(144), in.out(2 * 2 * 2), 2, 9, 8, 4, 4}),
                s("1x5x5, 3/1", in -> new Object[] {in.f32(25), in.out(9), 1, 5, 5, 3, 1})));
        c.add(of(Patches.class, "unfold",
                s("1x1x1x1, 1", in -> new Object[] {in.f32(1), in.out(1), 1, 1, 1, 1, 1}),
                s("2x3x30x28, 14", in -> new Object[] {in.f32(2 * 3 * 30 * 28), in.out(2 * 4 * 3 * 14 * 14), 2, 3, 30,
                    28, 14})));
        c.add(of(ImageAttention.class, "encoder",
                s("1 image, 1 token, 1x1", in -> new Object[] {in.f32(1), in.f32(1), in.f32(1), in.out(1), 1, 1, 1, 1,
                    1f}),
                s("3 images, 17 tokens, 4x18", in -> new Object[] {in.f32(3 * 17 * 72), in.f32(3 * 17 * 72),
                    in.f32(3 * 17 * 72), in.out(3 * 17 * 72), 3, 17, 4, 18, (float) (1 / Math.sqrt(18))})));
        c.add(of(ImageAttention.class, "prefillBlock",
                s("text tile, 5 at 3, 4/2x16, W=4", in -> new Object[] {in.f32(5 * 64), in.f32(8 * 32), in.f32(8 * 32),
                    in.sequence(5, 3), in.ints(1, 1), in.out(5 * 64), 5, 4, 2, 16, 4, 0.25f, 0f}),
                s("image block of 9 at 6, 4/1x32, 3 padding rows", in -> new Object[] {in.f32(12 * 128),
                    in.f32(18 * 32), in.f32(18 * 32), in.sequence(12, 6), in.sequence(1, 15), in.out(12 * 128), 12, 4, 1,
                    32, 0, (float) (1 / Math.sqrt(32)), 0f}),
                s("prefix-LM: block of 7 from 0, 5 causal rows, 4/2x16, W=3, softcap", in -> new Object[] {
                    in.f32(12 * 64), in.f32(12 * 32), in.f32(12 * 32), in.sequence(12, 0), in.sequence(1, 7),
                    in.out(12 * 64), 12, 4, 2, 16, 3, 0.25f, 2f})));
        c.add(of(Pool.class, "avgPool2dHwc",
                s("8x8x3, 4/4", in -> new Object[] {in.f32(192), in.out(2 * 2 * 3), 3, 8, 8, 4, 4})));
    }

    private static void reductions(List<KernelCase> c) {
        WorkerGrid fourGroups = WorkerGrid.of(4 * 64).withLocal(64);
        WorkerGrid oneGroup = WorkerGrid.of(128).withLocal(128);
        for (String op : List.of("sum", "max")) {
            c.add(of(Reduce.class, op + "Partials",
                    s("n=1", in -> new Object[] {KERNEL_CONTEXT, in.f32(1), in.out(4), 1}, fourGroups),
                    s("n=10001", in -> new Object[] {KERNEL_CONTEXT, in.f32(10001), in.out(4), 10001}, fourGroups)));
            c.add(of(Reduce.class, op + "Finish",
                    s("count=1", in -> new Object[] {KERNEL_CONTEXT, in.f32(1), in.out(1), 1}, oneGroup),
                    s("count=300", in -> new Object[] {KERNEL_CONTEXT, in.f32(300), in.out(1), 300}, oneGroup)));
        }
        c.add(of(Reduce.class, "argMaxPartials",
                s("n=10001", in -> new Object[] {KERNEL_CONTEXT, in.f32(10001), in.out(4), in.intOut(4), 10001}, fourGroups)));
        c.add(of(Reduce.class, "argMaxFinish",
                s("count=300", in -> new Object[] {KERNEL_CONTEXT, in.f32(300), in.ints(300, 100000), in.intOut(1), 300},
                    oneGroup)));
    }

    private static void audio(List<KernelCase> c) {
        c.add(of(Audio.class, "frame",
                s("1 frame of 1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1, 1, 1, 1, 0.97f}),
                s("7 frames of 20 in 32, hop 9", in -> new Object[] {in.f32(6 * 9 + 20), in.f32(20), in.out(7 * 32), 7, 20,
                    32, 9, 0.97f}),
                s("3 frames of 400, hop 160", in -> new Object[] {in.f32(2 * 160 + 400), in.f32(400), in.out(3 * 400), 3,
                    400, 400, 160, 0f})));
        List<Shape> fft = new ArrayList<>();
        for (int[] d : new int[][] {{1, 2}, {3, 16}, {5, 64}, {4, 512}, {3, 1024}}) {
            int count = d[0];
            int n = d[1];
            for (int magnitude = 0; magnitude <= 1; magnitude++) {
                int mag = magnitude;
                fft.add(s(count + " of " + n + (mag != 0 ? " magnitude" : " power"), in -> new Object[] {
                    in.f32((long) count * n), twiddles(n, false), twiddles(n, true), in.out((long) count * (n / 2 + 1)),
                    count, n, mag}));
            }
        }
        c.add(new KernelCase(method(Audio.class, "fftSpectrum"), fft, FLOAT_TOLERANCE));
        c.add(of(Audio.class, "dftSpectrum",
                s("1 of 1", in -> new Object[] {in.f32(1), twiddles(1, false), twiddles(1, true), in.out(1), 1, 1, 0}),
                s("6 of 7 magnitude", in -> new Object[] {in.f32(42), twiddles(7, false), twiddles(7, true), in.out(6 * 4),
                    6, 7, 1}),
                s("5 of 400 power", in -> new Object[] {in.f32(2000), twiddles(400, false), twiddles(400, true),
                    in.out(5 * 201), 5, 400, 0})));
        // (count, frameLength, fftLength, hop, magnitude, pre-emphasis)
        List<Shape> fftF64 = new ArrayList<>();
        for (double[] d : new double[][] {{1, 1, 2, 1, 0, 0.97}, {5, 20, 32, 9, 1, 0.97}, {3, 512, 1024, 160, 1, 0.97},
            {2, 320, 512, 160, 1, 0}}) {
            fftF64.add(framed((int) d[0], (int) d[1], (int) d[2], (int) d[3], (int) d[4], d[5]));
        }
        c.add(new KernelCase(method(Audio.class, "frameFftSpectrumF64"), fftF64, FLOAT_TOLERANCE));
        List<Shape> dftF64 = new ArrayList<>();
        for (double[] d : new double[][] {{1, 1, 1, 1, 0, 0}, {6, 7, 7, 3, 1, 0.97}, {4, 400, 400, 160, 0, 0}}) {
            dftF64.add(framed((int) d[0], (int) d[1], (int) d[2], (int) d[3], (int) d[4], d[5]));
        }
        c.add(new KernelCase(method(Audio.class, "frameDftSpectrumF64"), dftF64, FLOAT_TOLERANCE));
        c.add(of(Audio.class, "melLog",
                s("1x1 of 1", in -> new Object[] {in.f32(1, 0, 1), in.f32(1, 0, 1), bands(new int[] {0}, new int[] {0}, false),
                    bands(new int[] {0}, new int[] {0}, true), in.out(1), 1, 1, 1, 1, 0f, 1e-5f, 1f}),
                s("9x5 of 33, 7 valid, log10", in -> new Object[] {in.f32(9 * 33, 0, 2), in.f32(5 * 33, 0, 1),
                    bands(new int[] {0, 3, 10, 20, 33}, new int[] {4, 12, 25, 32, -1}, false),
                    bands(new int[] {0, 3, 10, 20, 33}, new int[] {4, 12, 25, 32, -1}, true), in.out(9 * 5), 9, 33, 5, 7,
                    0f, 1e-10f, (float) (1 / Math.log(10))}),
                s("6x128 of 257, offset", in -> new Object[] {in.f32(6 * 257, 0, 3), in.f32(128 * 257, 0, 1),
                    bands(bandStarts(128, 257, 0), bandStarts(128, 257, 9), false),
                    bands(bandStarts(128, 257, 0), bandStarts(128, 257, 9), true), in.out(6 * 128), 6, 257, 128, 6,
                    0.001f, 0f, 1f})));
        c.add(of(Audio.class, "clampToMax",
                s("1x1", in -> new Object[] {in.f32(1), in.f32(1), in.out(1), 1, 1, 1, 8f, 4f, 0.25f}),
                s("2 chunks of 6x5", in -> new Object[] {in.f32(12 * 5, -10, 2), in.f32(1), in.out(12 * 5), 12, 5, 6,
                    8f, 4f, 0.25f})));
    }

    /** The blocks of the conformer audio encoders: subsampling, activations, clamps, light conv, local attention. */
    private static void conformer(List<KernelCase> c) {
        c.add(of(Activation.class, "relu",
                s("n=1", in -> new Object[] {in.f32(1), in.out(1), 1}),
                s("n=301", in -> new Object[] {in.f32(301), in.out(301), 301})));
        c.add(of(Activation.class, "silu",
                s("n=1", in -> new Object[] {in.f32(1), in.out(1), 1}),
                s("n=513", in -> new Object[] {in.f32(513, -8, 8), in.out(513), 513})));
        c.add(of(Activation.class, "glu",
                s("1x1", in -> new Object[] {in.f32(2), in.out(1), 1, 1}),
                s("5x37", in -> new Object[] {in.f32(5 * 74, -6, 6), in.out(5 * 37), 5, 37})));
        c.add(of(Conv.class, "conv2d",
                s("1x1x1 -> 1, 1x1", in -> new Object[] {in.f32(1), in.f32(1), in.f32(1), in.out(1), 1, 1, 1, 1, 1, 1,
                    1, 0}),
                s("9x16x1 -> 4, 3x3/2 pad 1", in -> new Object[] {in.f32(9 * 16), in.f32(4 * 9), in.f32(4),
                    in.out(5 * 8 * 4), 9, 16, 1, 4, 3, 3, 2, 1}),
                s("7x11x5 -> 6, 3x3/2 pad 1", in -> new Object[] {in.f32(7 * 11 * 5), in.f32(6 * 5 * 9), in.f32(6),
                    in.out(4 * 6 * 6), 7, 11, 5, 6, 3, 3, 2, 1})));
        c.add(of(Conv.class, "depthwiseCausalConv1d",
                s("1x1, k1", in -> new Object[] {in.f32(1), in.f32(1), in.f32(1), in.out(1), 1, 1, 1}),
                s("13x33, k5", in -> new Object[] {in.f32(13 * 33), in.f32(33 * 5), in.f32(33), in.out(13 * 33), 13, 33,
                    5}),
                s("3x8, k5 (shorter than the kernel)", in -> new Object[] {in.f32(24), in.f32(40), in.f32(8),
                    in.out(24), 3, 8, 5})));
        // (tokens, heads, headDim, chunk, maxPast)
        List<Shape> local = new ArrayList<>();
        for (int[] d : new int[][] {{1, 1, 1, 12, 12}, {30, 2, 16, 12, 12}, {17, 3, 8, 4, 6}}) {
            int tokens = d[0];
            int heads = d[1];
            int headDim = d[2];
            long n = (long) tokens * heads * headDim;
            local.add(s(tokens + " tokens, " + heads + "x" + headDim + ", chunk " + d[3] + ", past " + d[4],
                in -> new Object[] {in.f32(n), in.f32(n), in.f32(n), in.f32((long) (d[4] + 1) * heads * headDim),
                    in.f32(headDim, 0.5, 1.5), in.f32(headDim, 0.5, 1.5), in.out(n), tokens, heads, headDim, d[3], d[4],
                    (float) (1 / Math.sqrt(headDim) / Math.log(2)), (float) (Math.log1p(Math.E) / Math.log(2)), 50f}));
        }
        c.add(new KernelCase(method(LocalAttention.class, "chunkedRelative"), local, FLOAT_TOLERANCE));
    }

    /** Arguments of the fused double kernels: samples, a window of (hi, lo) pairs, twiddle pairs, spectrum. */
    private static Shape framed(int count, int frameLength, int n, int hop, int magnitude, double preemphasis) {
        return s(count + " frames of " + frameLength + " in " + n + ", hop " + hop + (magnitude != 0 ? " magnitude" : " power")
                + (preemphasis != 0 ? ", pre-emphasis" : ""), in -> new Object[] {
                    in.f32((long) (count - 1) * hop + frameLength), in.f32(2L * frameLength, 0, 1), twiddlePairs(n),
                    in.out((long) count * (n / 2 + 1)), count, frameLength, n, hop, preemphasis, magnitude});
    }

    /** (cos hi, cos lo, sin hi, sin lo) of 2πj/n for j &lt; n, as {@code Audio} takes them. */
    private static FloatArray twiddlePairs(int n) {
        FloatArray a = FloatArray.allocate(4L * n);
        for (int j = 0; j < n; j++) {
            double angle = 2 * Math.PI * j / n;
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            a.set(4L * j, cos);
            a.set(4L * j + 1, (float) (Math.cos(angle) - cos));
            a.set(4L * j + 2, sin);
            a.set(4L * j + 3, (float) (Math.sin(angle) - sin));
        }
        return a;
    }

    /** cos(2πj/n) or sin(2πj/n) for j &lt; n. */
    private static FloatArray twiddles(int n, boolean sine) {
        FloatArray a = FloatArray.allocate(n);
        for (int j = 0; j < n; j++) {
            double angle = 2 * Math.PI * j / n;
            a.set(j, (float) (sine ? Math.sin(angle) : Math.cos(angle)));
        }
        return a;
    }

    /** Support of each filter: first bins, or (last) last bins; a last bin below the first is an empty filter. */
    private static IntArray bands(int[] first, int[] last, boolean lastBins) {
        int[] v = lastBins ? last : first;
        IntArray a = IntArray.allocate(v.length);
        for (int i = 0; i < v.length; i++) {
            a.set(i, v[i]);
        }
        return a;
    }

    /** Overlapping supports spread over the bins, as mel filters are: filter m starts at m·bins/(mels+1) + shift. */
    private static int[] bandStarts(int mels, int bins, int shift) {
        int[] v = new int[mels];
        for (int m = 0; m < mels; m++) {
            v[m] = Math.min(bins - 1, m * bins / (mels + 1) + shift);
        }
        return v;
    }

    private static KernelCase of(Class<?> owner, String name, Shape... shapes) {
        return new KernelCase(method(owner, name), List.of(shapes), FLOAT_TOLERANCE);
    }

    private static Shape s(String label, java.util.function.Function<CaseInputs, Object[]> args) {
        return new Shape(label, args);
    }

    private static Shape s(String label, java.util.function.Function<CaseInputs, Object[]> args, WorkerGrid grid) {
        return new Shape(label, args, grid);
    }

    static Method method(Class<?> owner, String name) {
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && m.isAnnotationPresent(Kernel.class)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no @Kernel method " + owner.getSimpleName() + "." + name);
    }
}
