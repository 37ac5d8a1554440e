package io.tessera.tasks.compiler.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.IrNodes;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Constructs of the subset are lowered to the IR Java's semantics call for. */
class AcceptedConstructsTest {
    private static final String SOURCE = """
            package t;
            import io.tessera.tasks.api.*;
            public class A {
                static final int BLOCK = Limits.WIDTH * 2;
                static final byte SMALL = 3;
                static float twice(float x) { return x * 2; }
                static int twice(int x) { return x << 1; }
                static int slot(int i) { return i & 7; }
                static void fill(FloatArray a, long i) { a.set(i, twice(1f)); }
                @Kernel(jvm = "conversionsVec")
                public static void conversions(IntArray out, ByteArray q, FloatArray f, int n, long big) {
                    for (@Parallel int i = 0; i < Math.min(n, out.length()); i++) {
                        byte b = q.get(i);
                        b += 300;
                        int s = q.getShort(i * 2L) >>> big;
                        float h = q.getHalf(0) + (i > 1 ? 1 : 0.5f);
                        long r = Math.round((double) h) + Math.round(h) + SMALL;
                        int[] bins = new int[BLOCK];
                        bins[slot(i)]++;
                        bins[3] += 2.5;
                        out.set(i, b + s + (int) r + bins[slot(i)] + bins.length + twice(i));
                        f.set(i, twice(h) + (float) Math.PI);
                    }
                }
                static void conversionsVec(IntArray out, ByteArray q, FloatArray f, int n, long big, int from, int to) { }
                @Kernel
                public static void grid(FloatArray a, int rows, int cols, int depth) {
                    for (@Parallel int x = 1; x < rows; x++)
                        for (@Parallel long y = 0; y < cols; y++) {
                            for (@Parallel int z = 0; z < depth - 1; ++z) {
                                fill(a, x * y + z);
                            }
                        }
                }
                @Kernel
                public static void explicit(FloatArray a, KernelContext ctx) {
                    float[] tile = ctx.allocateFloatLocalArray(BLOCK);
                    int[] flags = ctx.allocateIntLocalArray(4);
                    tile[ctx.localId(0)] = a.get(ctx.globalId(0));
                    ctx.globalBarrier();
                    flags[0] = ctx.numGroups(1);
                    ctx.localBarrier();
                    a.set(ctx.groupId(0), tile[0] + flags[0]);
                }
            }
            """;
    private static final String LIMITS = "package t; public final class Limits { public static final int WIDTH = 16; }";

    private static PluginCompiler.Result result;

    @BeforeAll
    static void compile() {
        result = PluginCompiler.compile(Map.of("t.A", SOURCE, "t.Limits", LIMITS));
    }

    @Test
    void compilesWithoutErrors() {
        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();
    }

    @Test
    void conversionsFollowJava() {
        KernelIr ir = result.ir("t.A", "conversions");
        String text = ir.toString();

        assertThat(ir.jvmImplementation()).isEqualTo("conversionsVec");
        assertThat(text).contains("b = (byte) (((int) b) + 300);")
                .contains("int s = ((int) q.getShort(((long) i) * 2L)) >>> ((int) big);")
                .contains("float h = q.getHalf(0L) + ((i > 1) ? 1.0f : 0.5f);")
                .contains("long r = (Math.round((double) h) + ((long) Math.round(h))) + 3L;")
                .contains("int[] bins = new int[32];")
                .contains("bins[3] = (int) (((double) bins[3]) + 2.5);")
                .contains("f.set((long) i, twice_1(h) + 3.1415927f);");
        assertThat(ir.helpers()).extracting(Function::name).containsExactlyInAnyOrder("slot", "twice", "twice_1");
    }

    @Test
    void incrementOfAnElementWithACallInItsIndexEvaluatesTheIndexOnce() {
        KernelIr ir = result.ir("t.A", "conversions");
        List<Stmt.Block> blocks = new ArrayList<>();
        IrNodes.forEachStmt(ir.kernel().body(), s -> {
            if (s instanceof Stmt.Block b && b.body().size() == 2 && b.body().get(0) instanceof Stmt.Declare d
                    && d.local().name().equals("bins_index")) {
                blocks.add(b);
            }
        });
        assertThat(blocks).hasSize(1);
        Stmt.Store store = (Stmt.Store) blocks.getFirst().body().get(1);
        assertThat(store.index()).isInstanceOf(Expr.LocalRef.class);
        assertThat(store.value()).isInstanceOfSatisfying(Expr.Binary.class, b -> assertThat(b.op()).isEqualTo(BinaryOp.ADD));
    }

    @Test
    void parallelNestsGiveDimensionsAndIterationCounts() {
        KernelIr grid = result.ir("t.A", "grid");

        assertThat(grid.parallelLoops()).extracting(l -> l.var().name()).containsExactly("x", "y", "z");
        assertThat(grid.parallelLoops()).extracting(l -> l.var().type())
                .containsExactly(ScalarType.I32, ScalarType.I64, ScalarType.I32);
        assertThat(grid.parallelIterations(new Object[] {null, 5, 3, 4})).containsExactly(4, 3, 3);
        // the float overload of twice, named apart from the int one
        assertThat(grid.helpers()).extracting(Function::javaName).containsExactly("fill", "twice");
        assertThat(grid.helpers().get(1).returnType()).isEqualTo(ScalarType.F32);

        KernelIr conversions = result.ir("t.A", "conversions");
        assertThat(conversions.parallelIterations(new Object[] {
                io.tessera.tasks.api.IntArray.allocate(6), null, FloatArray.allocate(1), 9, 0L})).containsExactly(6);
    }

    @Test
    void explicitKernelsKeepLocalMemoryAndBarriers() {
        KernelIr ir = result.ir("t.A", "explicit");

        assertThat(ir.usesContext()).isTrue();
        assertThat(ir.hasBarriers()).isTrue();
        assertThat(ir.parallelLoops()).isEmpty();
        assertThat(ir.localArrays()).extracting(ArrayVar::name, ArrayVar::element, ArrayVar::length)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tile", ScalarType.F32, 32),
                        org.assertj.core.groups.Tuple.tuple("flags", ScalarType.I32, 4));
        assertThat(ir.toString()).contains("barrier(GLOBAL);").contains("barrier(LOCAL);")
                .contains("flags[0] = context.numGroups(1);".replace("context", "context"));
    }
}
