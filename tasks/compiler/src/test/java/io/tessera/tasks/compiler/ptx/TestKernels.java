package io.tessera.tasks.compiler.ptx;

import static io.tessera.tasks.compiler.ptx.IrBuilder.add;
import static io.tessera.tasks.compiler.ptx.IrBuilder.arrayArg;
import static io.tessera.tasks.compiler.ptx.IrBuilder.bin;
import static io.tessera.tasks.compiler.ptx.IrBuilder.bool;
import static io.tessera.tasks.compiler.ptx.IrBuilder.byteLoad;
import static io.tessera.tasks.compiler.ptx.IrBuilder.call;
import static io.tessera.tasks.compiler.ptx.IrBuilder.cast;
import static io.tessera.tasks.compiler.ptx.IrBuilder.ctx;
import static io.tessera.tasks.compiler.ptx.IrBuilder.div;
import static io.tessera.tasks.compiler.ptx.IrBuilder.f32;
import static io.tessera.tasks.compiler.ptx.IrBuilder.f64;
import static io.tessera.tasks.compiler.ptx.IrBuilder.i32;
import static io.tessera.tasks.compiler.ptx.IrBuilder.i64;
import static io.tessera.tasks.compiler.ptx.IrBuilder.intr;
import static io.tessera.tasks.compiler.ptx.IrBuilder.kernel;
import static io.tessera.tasks.compiler.ptx.IrBuilder.len;
import static io.tessera.tasks.compiler.ptx.IrBuilder.load;
import static io.tessera.tasks.compiler.ptx.IrBuilder.lt;
import static io.tessera.tasks.compiler.ptx.IrBuilder.mul;
import static io.tessera.tasks.compiler.ptx.IrBuilder.neg;
import static io.tessera.tasks.compiler.ptx.IrBuilder.not;
import static io.tessera.tasks.compiler.ptx.IrBuilder.ref;
import static io.tessera.tasks.compiler.ptx.IrBuilder.sub;
import static io.tessera.tasks.compiler.ptx.IrBuilder.ternary;
import static io.tessera.tasks.compiler.ptx.IrBuilder.toLong;
import static io.tessera.tasks.compiler.ir.ScalarType.BOOL;
import static io.tessera.tasks.compiler.ir.ScalarType.F32;
import static io.tessera.tasks.compiler.ir.ScalarType.F64;
import static io.tessera.tasks.compiler.ir.ScalarType.I16;
import static io.tessera.tasks.compiler.ir.ScalarType.I32;
import static io.tessera.tasks.compiler.ir.ScalarType.I64;
import static io.tessera.tasks.compiler.ir.ScalarType.I8;
import static io.tessera.tasks.compiler.ir.ScalarType.VOID;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.LongArray;
import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.ArrayVar;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.ByteAccess;
import io.tessera.tasks.compiler.ir.ContextQuery;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.Intrinsic;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.Local;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Hand-built IR of kernels shaped like the library's (the Java each stands for is quoted above
 * it), with seeded inputs and a plain Java reference that computes the expected outputs. Used by
 * the PTX and SPIR-V tests until the javac plugin's IR of the library kernels is available.
 */
public final class TestKernels {
    private TestKernels() {
    }

    /**
     * A kernel with its inputs and reference. {@code outputs} are the parameter indices to compare;
     * {@code globalSize}/{@code localSize} give the ND-range of explicit (KernelContext) kernels and
     * are null for @Parallel kernels.
     */
    public record TestKernel(String name, KernelIr ir, java.util.function.Function<Random, Object[]> arguments,
                             Consumer<Object[]> reference, List<Integer> outputs, long[] globalSize,
                             long[] localSize, double tolerance) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<TestKernel> all() {
        return List.of(vectorAdd(), saxpy(), matVecF32(), matVecF16(), matVecQ8(), rmsNorm(), softmax(), gelu(),
                integerOps(), mathOps(), controlFlow(), bf16Convert(), addMatrices2d(), sum3d(), privateArray(),
                longIndex(), doubles(), rope(), boolsAndBytes());
    }

    public static FloatArray randomFloats(Random r, int n, float scale) {
        FloatArray a = FloatArray.allocate(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (r.nextFloat() * 2 - 1) * scale);
        }
        return a;
    }

    // for (@Parallel int i = 0; i < c.length(); i++) c.set(i, a.get(i) + b.get(i));
    public static TestKernel vectorAdd() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global a = k.array("a", ElementType.F32);
        ArrayTarget.Global b = k.array("b", ElementType.F32);
        ArrayTarget.Global c = k.array("c", ElementType.F32);
        Local i = k.local("i", I32);
        Function f = k.function("vectorAdd", VOID,
                k.pfor(0, i, i32(0), len(c),
                        k.store(c, toLong(ref(i)), add(load(a, toLong(ref(i))), load(b, toLong(ref(i)))))));
        return new TestKernel("vectorAdd", kernel(f),
                r -> new Object[] {randomFloats(r, 1000, 1), randomFloats(r, 1000, 1), FloatArray.allocate(1000)},
                args -> {
                    FloatArray x = (FloatArray) args[0], y = (FloatArray) args[1], z = (FloatArray) args[2];
                    for (int j = 0; j < z.length(); j++) {
                        z.set(j, x.get(j) + y.get(j));
                    }
                }, List.of(2), null, null, 0);
    }

    // for (@Parallel int i = 0; i < n; i++) y.set(i, alpha * x.get(i) + y.get(i));
    public static TestKernel saxpy() {
        IrBuilder k = new IrBuilder();
        Expr alpha = k.scalar("alpha", F32);
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global y = k.array("y", ElementType.F32);
        Expr n = k.scalar("n", I32);
        Local i = k.local("i", I32);
        Function f = k.function("saxpy", VOID,
                k.pfor(0, i, i32(0), n,
                        k.store(y, toLong(ref(i)), add(mul(alpha, load(x, toLong(ref(i)))), load(y, toLong(ref(i)))))));
        return new TestKernel("saxpy", kernel(f),
                r -> new Object[] {1.5f, randomFloats(r, 777, 1), randomFloats(r, 777, 1), 777},
                args -> {
                    float al = (Float) args[0];
                    FloatArray xs = (FloatArray) args[1], ys = (FloatArray) args[2];
                    for (int j = 0; j < (Integer) args[3]; j++) {
                        ys.set(j, al * xs.get(j) + ys.get(j));
                    }
                }, List.of(2), null, null, 0);
    }

    /*
     * for (@Parallel int r = 0; r < rows; r++) {
     *     float acc = 0;
     *     for (int c = 0; c < cols; c++) acc += w.get((long) r * cols + c) * x.get(c);
     *     out.set(r, acc);
     * }
     */
    static KernelIr matVec(String name, ElementType weights) {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global w = k.array("w", weights);
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Expr rows = k.scalar("rows", I32);
        Expr cols = k.scalar("cols", I32);
        Local r = k.local("r", I32);
        Local acc = k.local("acc", F32);
        Local c = k.local("c", I32);
        Function f = k.function(name, VOID,
                k.pfor(0, r, i32(0), rows,
                        k.decl(acc, f32(0)),
                        k.forLoop(k.decl(c, i32(0)), lt(ref(c), cols), k.inc(c),
                                k.assign(acc, add(ref(acc), mul(
                                        load(w, add(mul(toLong(ref(r)), toLong(cols)), toLong(ref(c)))),
                                        load(x, toLong(ref(c))))))),
                        k.store(out, toLong(ref(r)), ref(acc))));
        return kernel(f);
    }

    public static TestKernel matVecF32() {
        int rows = 67, cols = 96;
        return new TestKernel("matVecF32", matVec("matVecF32", ElementType.F32),
                r -> new Object[] {randomFloats(r, rows * cols, 1), randomFloats(r, cols, 1), FloatArray.allocate(rows), rows, cols},
                args -> {
                    FloatArray w = (FloatArray) args[0], x = (FloatArray) args[1], out = (FloatArray) args[2];
                    for (int i = 0; i < rows; i++) {
                        float acc = 0;
                        for (int j = 0; j < cols; j++) {
                            acc += w.get((long) i * cols + j) * x.get(j);
                        }
                        out.set(i, acc);
                    }
                }, List.of(2), null, null, 1e-10);
    }

    public static TestKernel matVecF16() {
        int rows = 50, cols = 64;
        return new TestKernel("matVecF16", matVec("matVecF16", ElementType.F16),
                r -> {
                    HalfArray w = HalfArray.allocate(rows * cols);
                    for (int i = 0; i < rows * cols; i++) {
                        w.set(i, r.nextFloat() - 0.5f);
                    }
                    return new Object[] {w, randomFloats(r, cols, 1), FloatArray.allocate(rows), rows, cols};
                },
                args -> {
                    HalfArray w = (HalfArray) args[0];
                    FloatArray x = (FloatArray) args[1], out = (FloatArray) args[2];
                    for (int i = 0; i < rows; i++) {
                        float acc = 0;
                        for (int j = 0; j < cols; j++) {
                            acc += w.get((long) i * cols + j) * x.get(j);
                        }
                        out.set(i, acc);
                    }
                }, List.of(2), null, null, 1e-10);
    }

    /*
     * Q8_0 blocks of 34 bytes: a binary16 scale, then 32 signed quants.
     * for (@Parallel int r = 0; r < rows; r++) {
     *     float acc = 0;
     *     for (int b = 0; b < cols / 32; b++) {
     *         long base = ((long) r * (cols / 32) + b) * 34;
     *         float scale = w.getHalf(base);
     *         int dot = 0;  -- (float) for the sum of products
     *         float sum = 0;
     *         for (int j = 0; j < 32; j++) sum += w.get(base + 2 + j) * x.get(b * 32 + j);
     *         acc += scale * sum;
     *     }
     *     out.set(r, acc);
     * }
     */
    public static TestKernel matVecQ8() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global w = k.array("w", ElementType.I8);
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Expr rows = k.scalar("rows", I32);
        Expr cols = k.scalar("cols", I32);
        Local r = k.local("r", I32);
        Local acc = k.local("acc", F32);
        Local b = k.local("b", I32);
        Local base = k.local("base", I64);
        Local scale = k.local("scale", F32);
        Local sum = k.local("sum", F32);
        Local j = k.local("j", I32);
        Expr blocks = div(cols, i32(32));
        Function f = k.function("matVecQ8_0", VOID,
                k.pfor(0, r, i32(0), rows,
                        k.decl(acc, f32(0)),
                        k.forLoop(k.decl(b, i32(0)), lt(ref(b), blocks), k.inc(b),
                                k.decl(base, mul(add(mul(toLong(ref(r)), toLong(blocks)), toLong(ref(b))), i64(34))),
                                k.decl(scale, byteLoad(w, ByteAccess.HALF, ref(base))),
                                k.decl(sum, f32(0)),
                                k.forLoop(k.decl(j, i32(0)), lt(ref(j), i32(32)), k.inc(j),
                                        k.assign(sum, add(ref(sum), mul(
                                                cast(F32, load(w, add(add(ref(base), i64(2)), toLong(ref(j))))),
                                                load(x, toLong(add(mul(ref(b), i32(32)), ref(j)))))))),
                                k.assign(acc, add(ref(acc), mul(ref(scale), ref(sum))))),
                        k.store(out, toLong(ref(r)), ref(acc))));
        int rowsN = 40, colsN = 128;
        return new TestKernel("matVecQ8_0", kernel(f),
                rnd -> {
                    ByteArray q = ByteArray.allocate((long) rowsN * colsN / 32 * 34);
                    for (int blk = 0; blk < rowsN * colsN / 32; blk++) {
                        short h = Float.floatToFloat16(rnd.nextFloat() * 0.02f + 0.001f);
                        q.set(blk * 34L, (byte) h);
                        q.set(blk * 34L + 1, (byte) (h >> 8));
                        for (int t = 0; t < 32; t++) {
                            q.set(blk * 34L + 2 + t, (byte) (rnd.nextInt(256) - 128));
                        }
                    }
                    return new Object[] {q, randomFloats(rnd, colsN, 1), FloatArray.allocate(rowsN), rowsN, colsN};
                },
                args -> {
                    ByteArray q = (ByteArray) args[0];
                    FloatArray xs = (FloatArray) args[1], o = (FloatArray) args[2];
                    for (int row = 0; row < rowsN; row++) {
                        float a = 0;
                        for (int blk = 0; blk < colsN / 32; blk++) {
                            long bs = ((long) row * (colsN / 32) + blk) * 34;
                            float s = q.getHalf(bs);
                            float sm = 0;
                            for (int t = 0; t < 32; t++) {
                                sm += q.get(bs + 2 + t) * xs.get(blk * 32 + t);
                            }
                            a += s * sm;
                        }
                        o.set(row, a);
                    }
                }, List.of(2), null, null, 1e-10);
    }

    /*
     * One work-group per row: out = x * weight / sqrt(mean(x^2) + eps).
     * float[] partial = context.allocateFloatLocalArray(128);
     * int lid = context.localId(0); int size = context.localSize(0); int row = context.groupId(0);
     * float ss = 0;
     * for (int i = lid; i < n; i += size) { float v = x.get((long) row * n + i); ss += v * v; }
     * partial[lid] = ss; context.localBarrier();
     * for (int s = size / 2; s > 0; s >>= 1) { if (lid < s) partial[lid] += partial[lid + s]; context.localBarrier(); }
     * float scale = KernelMath.rsqrt(partial[0] / n + eps);
     * for (int i = lid; i < n; i += size) out.set((long) row * n + i, x.get((long) row * n + i) * scale * weight.get(i));
     */
    public static TestKernel rmsNorm() {
        IrBuilder k = new IrBuilder();
        k.context();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global weight = k.array("weight", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Expr n = k.scalar("n", I32);
        Expr eps = k.scalar("eps", F32);
        ArrayVar partial = k.localArray("partial", F32, 128);
        Local lid = k.local("lid", I32);
        Local size = k.local("size", I32);
        Local row = k.local("row", I32);
        Local ss = k.local("ss", F32);
        Local i = k.local("i", I32);
        Local v = k.local("v", F32);
        Local s = k.local("s", I32);
        Local scale = k.local("scale", F32);
        Local i2 = k.local("i", I32);
        Expr rowBase = mul(toLong(ref(row)), toLong(n));
        Function f = k.function("rmsNorm", VOID,
                k.declareArray(partial),
                k.decl(lid, ctx(ContextQuery.LOCAL_ID, 0)),
                k.decl(size, ctx(ContextQuery.LOCAL_SIZE, 0)),
                k.decl(row, ctx(ContextQuery.GROUP_ID, 0)),
                k.decl(ss, f32(0)),
                k.forLoop(k.decl(i, ref(lid)), lt(ref(i), n), k.assign(i, add(ref(i), ref(size))),
                        k.decl(v, load(x, add(rowBase, toLong(ref(i))))),
                        k.assign(ss, add(ref(ss), mul(ref(v), ref(v))))),
                k.store(partial, ref(lid), ref(ss)),
                k.barrier(),
                k.forLoop(k.decl(s, div(ref(size), i32(2))), bin(BinaryOp.GT, ref(s), i32(0)),
                        k.assign(s, bin(BinaryOp.SHR, ref(s), i32(1))),
                        k.iff(lt(ref(lid), ref(s)), k.store(partial, ref(lid),
                                add(load(partial, ref(lid)), load(partial, add(ref(lid), ref(s))))), null),
                        k.barrier()),
                k.decl(scale, intr(Intrinsic.KM_RSQRT, F32, add(div(load(partial, i32(0)), cast(F32, n)), eps))),
                k.forLoop(k.decl(i2, ref(lid)), lt(ref(i2), n), k.assign(i2, add(ref(i2), ref(size))),
                        k.store(out, add(rowBase, toLong(ref(i2))), mul(mul(load(x, add(rowBase, toLong(ref(i2)))),
                                ref(scale)), load(weight, toLong(ref(i2)))))));
        int rows = 6, cols = 300;
        return new TestKernel("rmsNorm", kernel(f),
                r -> new Object[] {null, randomFloats(r, rows * cols, 2), randomFloats(r, cols, 1),
                        FloatArray.allocate(rows * cols), cols, 1e-5f},
                args -> {
                    FloatArray xs = (FloatArray) args[1], wt = (FloatArray) args[2], o = (FloatArray) args[3];
                    for (int rw = 0; rw < rows; rw++) {
                        double sq = 0;
                        for (int c = 0; c < cols; c++) {
                            sq += xs.get((long) rw * cols + c) * xs.get((long) rw * cols + c);
                        }
                        float sc = (float) (1 / Math.sqrt(sq / cols + 1e-5f));
                        for (int c = 0; c < cols; c++) {
                            o.set((long) rw * cols + c, xs.get((long) rw * cols + c) * sc * wt.get(c));
                        }
                    }
                }, List.of(3), new long[] {rows * 128L}, new long[] {128}, 1e-8);
    }

    /*
     * Softmax of each row, one work-group of 64 per row, with max and sum reductions in local memory.
     */
    public static TestKernel softmax() {
        IrBuilder k = new IrBuilder();
        k.context();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Expr n = k.scalar("n", I32);
        ArrayVar red = k.localArray("reduce", F32, 64);
        Local lid = k.local("lid", I32);
        Local row = k.local("row", I32);
        Local m = k.local("max", F32);
        Local i = k.local("i", I32);
        Local s = k.local("s", I32);
        Local rowMax = k.local("rowMax", F32);
        Local sum = k.local("sum", F32);
        Local i2 = k.local("i", I32);
        Local s2 = k.local("s", I32);
        Local total = k.local("total", F32);
        Local i3 = k.local("i", I32);
        Expr base = mul(toLong(ref(row)), toLong(n));
        Expr size = ctx(ContextQuery.LOCAL_SIZE, 0);
        Function f = k.function("softmax", VOID,
                k.declareArray(red),
                k.decl(lid, ctx(ContextQuery.LOCAL_ID, 0)),
                k.decl(row, ctx(ContextQuery.GROUP_ID, 0)),
                k.decl(m, f32(Float.NEGATIVE_INFINITY)),
                k.forLoop(k.decl(i, ref(lid)), lt(ref(i), n), k.assign(i, add(ref(i), size)),
                        k.assign(m, intr(Intrinsic.MATH_MAX, F32, ref(m), load(x, add(base, toLong(ref(i))))))),
                k.store(red, ref(lid), ref(m)),
                k.barrier(),
                k.forLoop(k.decl(s, i32(32)), bin(BinaryOp.GT, ref(s), i32(0)), k.assign(s, div(ref(s), i32(2))),
                        k.iff(lt(ref(lid), ref(s)), k.store(red, ref(lid), intr(Intrinsic.MATH_MAX, F32,
                                load(red, ref(lid)), load(red, add(ref(lid), ref(s))))), null),
                        k.barrier()),
                k.decl(rowMax, load(red, i32(0))),
                k.barrier(),
                k.decl(sum, f32(0)),
                k.forLoop(k.decl(i2, ref(lid)), lt(ref(i2), n), k.assign(i2, add(ref(i2), size)),
                        k.assign(sum, add(ref(sum), intr(Intrinsic.KM_EXP, F32,
                                sub(load(x, add(base, toLong(ref(i2)))), ref(rowMax)))))),
                k.store(red, ref(lid), ref(sum)),
                k.barrier(),
                k.forLoop(k.decl(s2, i32(32)), bin(BinaryOp.GT, ref(s2), i32(0)), k.assign(s2, div(ref(s2), i32(2))),
                        k.iff(lt(ref(lid), ref(s2)), k.store(red, ref(lid), add(load(red, ref(lid)),
                                load(red, add(ref(lid), ref(s2))))), null),
                        k.barrier()),
                k.decl(total, load(red, i32(0))),
                k.forLoop(k.decl(i3, ref(lid)), lt(ref(i3), n), k.assign(i3, add(ref(i3), size)),
                        k.store(out, add(base, toLong(ref(i3))), div(intr(Intrinsic.KM_EXP, F32,
                                sub(load(x, add(base, toLong(ref(i3)))), ref(rowMax))), ref(total)))));
        int rows = 4, cols = 200;
        return new TestKernel("softmax", kernel(f),
                r -> new Object[] {null, randomFloats(r, rows * cols, 8), FloatArray.allocate(rows * cols), cols},
                args -> {
                    FloatArray xs = (FloatArray) args[1], o = (FloatArray) args[2];
                    for (int rw = 0; rw < rows; rw++) {
                        float mx = Float.NEGATIVE_INFINITY;
                        for (int c = 0; c < cols; c++) {
                            mx = Math.max(mx, xs.get((long) rw * cols + c));
                        }
                        double sm = 0;
                        for (int c = 0; c < cols; c++) {
                            sm += Math.exp(xs.get((long) rw * cols + c) - mx);
                        }
                        for (int c = 0; c < cols; c++) {
                            o.set((long) rw * cols + c, (float) (Math.exp(xs.get((long) rw * cols + c) - mx) / sm));
                        }
                    }
                }, List.of(2), new long[] {rows * 64L}, new long[] {64}, 1e-8);
    }

    /*
     * static float geluOne(float v) { float c = 0.7978846f; return 0.5f * v * (1 + KernelMath.tanh(c * (v + 0.044715f * v * v * v))); }
     * static float scaleOf(FloatArray s, long i) { return i < s.length() ? s.get(i) : 1f; }
     * for (@Parallel int i = 0; i < x.length(); i++) out.set(i, geluOne(x.get(i)) * scaleOf(s, i));
     */
    public static TestKernel gelu() {
        IrBuilder h = new IrBuilder();
        Expr v = h.scalar("v", F32);
        Local c = h.local("c", F32);
        Function geluOne = h.function("geluOne", F32,
                h.decl(c, f32(0.7978846f)),
                h.ret(mul(mul(f32(0.5f), v), add(f32(1), intr(Intrinsic.KM_TANH, F32,
                        mul(ref(c), add(v, mul(mul(mul(f32(0.044715f), v), v), v))))))));
        IrBuilder h2 = new IrBuilder();
        ArrayTarget.Global sArr = h2.array("s", ElementType.F32);
        Expr idx = h2.scalar("i", I64);
        Function scaleOf = h2.function("scaleOf", F32,
                h2.ret(ternary(lt(idx, len(sArr)), load(sArr, idx), f32(1))));
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global s = k.array("s", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Local i = k.local("i", I32);
        Function f = k.function("gelu", VOID,
                k.pfor(0, i, i32(0), len(x),
                        k.store(out, toLong(ref(i)), mul(call("geluOne", F32, load(x, toLong(ref(i)))),
                                call("scaleOf", F32, arrayArg(s), toLong(ref(i)))))));
        return new TestKernel("gelu", kernel(f, geluOne, scaleOf),
                r -> new Object[] {randomFloats(r, 500, 4), randomFloats(r, 300, 1), FloatArray.allocate(500)},
                args -> {
                    FloatArray xs = (FloatArray) args[0], ss = (FloatArray) args[1], o = (FloatArray) args[2];
                    for (int j = 0; j < xs.length(); j++) {
                        float vv = xs.get(j);
                        float g = (float) (0.5f * vv * (1 + Math.tanh(0.7978846f * (vv + 0.044715f * vv * vv * vv))));
                        o.set(j, g * (j < ss.length() ? ss.get(j) : 1f));
                    }
                }, List.of(2), null, null, 1e-6);
    }

    /*
     * for (@Parallel int i = 0; i < a.length(); i++) {
     *     int x = a.get(i), y = b.get(i);   -- y != 0
     *     out.set(i * 8L + 0, x / y); out.set(i * 8L + 1, x % y); out.set(i * 8L + 2, x << y);
     *     out.set(i * 8L + 3, x >> (y & 7)); out.set(i * 8L + 4, x >>> y); out.set(i * 8L + 5, x * 1000003);
     *     out.set(i * 8L + 6, (byte) x); out.set(i * 8L + 7, (short) (x ^ ~y));
     *     long l = (long) x * 4000000011L;
     *     lout.set(i * 3L, l / y); lout.set(i * 3L + 1, l >>> 7 | l << 60); lout.set(i * 3L + 2, l % 1000 - (l >> y));
     * }
     */
    public static TestKernel integerOps() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global a = k.array("a", ElementType.I32);
        ArrayTarget.Global b = k.array("b", ElementType.I32);
        ArrayTarget.Global out = k.array("out", ElementType.I32);
        ArrayTarget.Global lout = k.array("lout", ElementType.I64);
        Local i = k.local("i", I32);
        Local x = k.local("x", I32);
        Local y = k.local("y", I32);
        Local l = k.local("l", I64);
        Expr base = mul(toLong(ref(i)), i64(8));
        Expr lbase = mul(toLong(ref(i)), i64(3));
        Function f = k.function("integerOps", VOID,
                k.pfor(0, i, i32(0), len(a),
                        k.decl(x, load(a, toLong(ref(i)))),
                        k.decl(y, load(b, toLong(ref(i)))),
                        k.store(out, base, div(ref(x), ref(y))),
                        k.store(out, add(base, i64(1)), bin(BinaryOp.REM, ref(x), ref(y))),
                        k.store(out, add(base, i64(2)), bin(BinaryOp.SHL, ref(x), ref(y))),
                        k.store(out, add(base, i64(3)), bin(BinaryOp.SHR, ref(x), bin(BinaryOp.AND, ref(y), i32(7)))),
                        k.store(out, add(base, i64(4)), bin(BinaryOp.USHR, ref(x), ref(y))),
                        k.store(out, add(base, i64(5)), mul(ref(x), i32(1000003))),
                        k.store(out, add(base, i64(6)), cast(I32, cast(I8, ref(x)))),
                        k.store(out, add(base, i64(7)), cast(I32, cast(I16, bin(BinaryOp.XOR, ref(x),
                                new Expr.Unary(io.tessera.tasks.compiler.ir.UnaryOp.BIT_NOT, ref(y), 0))))),
                        k.decl(l, mul(toLong(ref(x)), i64(4000000011L))),
                        k.store(lout, lbase, div(ref(l), toLong(ref(y)))),
                        k.store(lout, add(lbase, i64(1)), bin(BinaryOp.OR, bin(BinaryOp.USHR, ref(l), i32(7)),
                                bin(BinaryOp.SHL, ref(l), i32(60)))),
                        k.store(lout, add(lbase, i64(2)), sub(bin(BinaryOp.REM, ref(l), i64(1000)),
                                bin(BinaryOp.SHR, ref(l), ref(y))))));
        int n = 300;
        return new TestKernel("integerOps", kernel(f),
                r -> {
                    IntArray as = IntArray.allocate(n), bs = IntArray.allocate(n);
                    for (int j = 0; j < n; j++) {
                        as.set(j, j < 4 ? new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -7, 7}[j] : r.nextInt());
                        int yy = r.nextInt(81) - 40;
                        bs.set(j, yy == 0 ? 3 : yy);
                    }
                    return new Object[] {as, bs, IntArray.allocate(n * 8L), LongArray.allocate(n * 3L)};
                },
                args -> {
                    IntArray as = (IntArray) args[0], bs = (IntArray) args[1], o = (IntArray) args[2];
                    LongArray lo = (LongArray) args[3];
                    for (int j = 0; j < as.length(); j++) {
                        int xx = as.get(j), yy = bs.get(j);
                        o.set(j * 8L, xx / yy);
                        o.set(j * 8L + 1, xx % yy);
                        o.set(j * 8L + 2, xx << yy);
                        o.set(j * 8L + 3, xx >> (yy & 7));
                        o.set(j * 8L + 4, xx >>> yy);
                        o.set(j * 8L + 5, xx * 1000003);
                        o.set(j * 8L + 6, (byte) xx);
                        o.set(j * 8L + 7, (short) (xx ^ ~yy));
                        long ll = (long) xx * 4000000011L;
                        lo.set(j * 3L, ll / yy);
                        lo.set(j * 3L + 1, ll >>> 7 | ll << 60);
                        lo.set(j * 3L + 2, ll % 1000 - (ll >> yy));
                    }
                }, List.of(2, 3), null, null, 0);
    }

    /*
     * for (@Parallel int i = 0; i < x.length(); i++) {
     *     float v = x.get(i); long o = i * 16L;
     *     out.set(o, KernelMath.exp(v)); out.set(o + 1, KernelMath.log(Math.abs(v) + 0.5f));
     *     out.set(o + 2, KernelMath.sqrt(Math.abs(v))); out.set(o + 3, KernelMath.rsqrt(Math.abs(v) + 1));
     *     out.set(o + 4, KernelMath.sin(v)); out.set(o + 5, KernelMath.cos(v));
     *     out.set(o + 6, KernelMath.pow(Math.abs(v), 1.5f)); out.set(o + 7, KernelMath.fma(v, v, 1));
     *     out.set(o + 8, KernelMath.floor(v)); out.set(o + 9, (float) Math.ceil(v));
     *     out.set(o + 10, Math.round(v * 3)); out.set(o + 11, Math.min(v, 0.25f) + Math.max(v, -0.25f));
     *     out.set(o + 12, (int) (v * 3e9f)); out.set(o + 13, Float.isNaN(v / v) ? 1 : 0);
     *     out.set(o + 14, Float.intBitsToFloat(Float.floatToRawIntBits(v) ^ 0x80000000));
     *     out.set(o + 15, Float.float16ToFloat(Float.floatToFloat16(v)));
     * }
     */
    public static TestKernel mathOps() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Local i = k.local("i", I32);
        Local v = k.local("v", F32);
        Local o = k.local("o", I64);
        Expr av = intr(Intrinsic.MATH_ABS, F32, ref(v));
        java.util.function.IntFunction<Expr> at = d -> add(ref(o), i64(d));
        Function f = k.function("mathOps", VOID,
                k.pfor(0, i, i32(0), len(x),
                        k.decl(v, load(x, toLong(ref(i)))),
                        k.decl(o, mul(toLong(ref(i)), i64(16))),
                        k.store(out, at.apply(0), intr(Intrinsic.KM_EXP, F32, ref(v))),
                        k.store(out, at.apply(1), intr(Intrinsic.KM_LOG, F32, add(av, f32(0.5f)))),
                        k.store(out, at.apply(2), intr(Intrinsic.KM_SQRT, F32, av)),
                        k.store(out, at.apply(3), intr(Intrinsic.KM_RSQRT, F32, add(av, f32(1)))),
                        k.store(out, at.apply(4), intr(Intrinsic.KM_SIN, F32, ref(v))),
                        k.store(out, at.apply(5), intr(Intrinsic.KM_COS, F32, ref(v))),
                        k.store(out, at.apply(6), intr(Intrinsic.KM_POW, F32, av, f32(1.5f))),
                        k.store(out, at.apply(7), intr(Intrinsic.KM_FMA, F32, ref(v), ref(v), f32(1))),
                        k.store(out, at.apply(8), intr(Intrinsic.KM_FLOOR, F32, ref(v))),
                        k.store(out, at.apply(9), cast(F32, intr(Intrinsic.MATH_CEIL, F64, cast(F64, ref(v))))),
                        k.store(out, at.apply(10), cast(F32, intr(Intrinsic.MATH_ROUND, I32, mul(ref(v), f32(3))))),
                        k.store(out, at.apply(11), add(intr(Intrinsic.MATH_MIN, F32, ref(v), f32(0.25f)),
                                intr(Intrinsic.MATH_MAX, F32, ref(v), f32(-0.25f)))),
                        k.store(out, at.apply(12), cast(F32, cast(I32, mul(ref(v), f32(3e9f))))),
                        k.store(out, at.apply(13), ternary(intr(Intrinsic.IS_NAN, BOOL, div(ref(v), ref(v))),
                                f32(1), f32(0))),
                        k.store(out, at.apply(14), intr(Intrinsic.INT_BITS_TO_FLOAT, F32, bin(BinaryOp.XOR,
                                intr(Intrinsic.FLOAT_TO_RAW_INT_BITS, I32, ref(v)), i32(0x80000000)))),
                        k.store(out, at.apply(15), intr(Intrinsic.FLOAT16_TO_FLOAT, F32,
                                intr(Intrinsic.FLOAT_TO_FLOAT16, I16, ref(v))))));
        int n = 256;
        return new TestKernel("mathOps", kernel(f),
                r -> {
                    FloatArray xs = randomFloats(r, n, 3);
                    xs.set(0, 0f);
                    xs.set(1, 2.5f / 3);
                    return new Object[] {xs, FloatArray.allocate(n * 16L)};
                },
                args -> {
                    FloatArray xs = (FloatArray) args[0], os = (FloatArray) args[1];
                    for (int j = 0; j < xs.length(); j++) {
                        float vv = xs.get(j);
                        long oo = j * 16L;
                        os.set(oo, (float) Math.exp(vv));
                        os.set(oo + 1, (float) Math.log(Math.abs(vv) + 0.5f));
                        os.set(oo + 2, (float) Math.sqrt(Math.abs(vv)));
                        os.set(oo + 3, (float) (1 / Math.sqrt(Math.abs(vv) + 1)));
                        os.set(oo + 4, (float) Math.sin(vv));
                        os.set(oo + 5, (float) Math.cos(vv));
                        os.set(oo + 6, (float) Math.pow(Math.abs(vv), 1.5f));
                        os.set(oo + 7, Math.fma(vv, vv, 1f));
                        os.set(oo + 8, (float) Math.floor(vv));
                        os.set(oo + 9, (float) Math.ceil(vv));
                        os.set(oo + 10, Math.round(vv * 3));
                        os.set(oo + 11, Math.min(vv, 0.25f) + Math.max(vv, -0.25f));
                        os.set(oo + 12, (int) (vv * 3e9f));
                        os.set(oo + 13, Float.isNaN(vv / vv) ? 1 : 0);
                        os.set(oo + 14, Float.intBitsToFloat(Float.floatToRawIntBits(vv) ^ 0x80000000));
                        os.set(oo + 15, Float.float16ToFloat(Float.floatToFloat16(vv)));
                    }
                }, List.of(1), null, null, 1e-9);
    }

    /*
     * for (@Parallel int i = 0; i < n; i++) {
     *     int steps = 0; int v = data.get(i);
     *     while (v != 1) { if (steps >= 100) break; v = (v & 1) == 0 ? v / 2 : 3 * v + 1; steps++; }
     *     int k = 0; do { k += 3; if (k % 2 == 0) continue; k++; } while (k < 20);
     *     int next = i + 1 < n && data.get(i + 1) > v ? data.get(i + 1) : -1;
     *     out.set(i * 3L, steps); out.set(i * 3L + 1, k); out.set(i * 3L + 2, next);
     * }
     */
    public static TestKernel controlFlow() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global data = k.array("data", ElementType.I32);
        ArrayTarget.Global out = k.array("out", ElementType.I32);
        Expr n = k.scalar("n", I32);
        Local i = k.local("i", I32);
        Local steps = k.local("steps", I32);
        Local v = k.local("v", I32);
        Local kk = k.local("k", I32);
        Local next = k.local("next", I32);
        Expr following = load(data, toLong(add(ref(i), i32(1))));
        Function f = k.function("controlFlow", VOID,
                k.pfor(0, i, i32(0), n,
                        k.decl(steps, i32(0)),
                        k.decl(v, load(data, toLong(ref(i)))),
                        k.whileLoop(bin(BinaryOp.NE, ref(v), i32(1)),
                                k.iff(bin(BinaryOp.GE, ref(steps), i32(100)), k.brk(), null),
                                k.assign(v, ternary(bin(BinaryOp.EQ, bin(BinaryOp.AND, ref(v), i32(1)), i32(0)),
                                        div(ref(v), i32(2)), add(mul(i32(3), ref(v)), i32(1)))),
                                k.inc(steps)),
                        k.decl(kk, i32(0)),
                        k.doWhile(lt(ref(kk), i32(20)),
                                k.assign(kk, add(ref(kk), i32(3))),
                                k.iff(bin(BinaryOp.EQ, bin(BinaryOp.REM, ref(kk), i32(2)), i32(0)), k.cont(), null),
                                k.inc(kk)),
                        k.decl(next, ternary(bin(BinaryOp.LOGICAL_AND, lt(add(ref(i), i32(1)), n),
                                bin(BinaryOp.GT, following, ref(v))), following, i32(-1))),
                        k.store(out, mul(toLong(ref(i)), i64(3)), ref(steps)),
                        k.store(out, add(mul(toLong(ref(i)), i64(3)), i64(1)), ref(kk)),
                        k.store(out, add(mul(toLong(ref(i)), i64(3)), i64(2)), ref(next))));
        int count = 200;
        return new TestKernel("controlFlow", kernel(f),
                r -> {
                    IntArray d = IntArray.allocate(count);
                    for (int j = 0; j < count; j++) {
                        d.set(j, 1 + r.nextInt(1000));
                    }
                    return new Object[] {d, IntArray.allocate(count * 3L), count};
                },
                args -> {
                    IntArray d = (IntArray) args[0], o = (IntArray) args[1];
                    int nn = (Integer) args[2];
                    for (int j = 0; j < nn; j++) {
                        int st = 0;
                        int vv = d.get(j);
                        while (vv != 1) {
                            if (st >= 100) {
                                break;
                            }
                            vv = (vv & 1) == 0 ? vv / 2 : 3 * vv + 1;
                            st++;
                        }
                        int q = 0;
                        do {
                            q += 3;
                            if (q % 2 == 0) {
                                continue;
                            }
                            q++;
                        } while (q < 20);
                        int nx = j + 1 < nn && d.get(j + 1) > vv ? d.get(j + 1) : -1;
                        o.set(j * 3L, st);
                        o.set(j * 3L + 1, q);
                        o.set(j * 3L + 2, nx);
                    }
                }, List.of(1), null, null, 0);
    }

    // for (@Parallel int i = 0; i < in.length(); i++) { h.set(i, in.get(i) * 2); bf.set(i, h.get(i) + 1); }
    public static TestKernel bf16Convert() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global in = k.array("in", ElementType.BF16);
        ArrayTarget.Global h = k.array("h", ElementType.F16);
        ArrayTarget.Global bf = k.array("bf", ElementType.BF16);
        Local i = k.local("i", I32);
        Function f = k.function("bf16Convert", VOID,
                k.pfor(0, i, i32(0), len(in),
                        k.store(h, toLong(ref(i)), mul(load(in, toLong(ref(i))), f32(2))),
                        k.store(bf, toLong(ref(i)), add(load(h, toLong(ref(i))), f32(1)))));
        int n = 333;
        return new TestKernel("bf16Convert", kernel(f),
                r -> {
                    BFloat16Array a = BFloat16Array.allocate(n);
                    for (int j = 0; j < n; j++) {
                        a.set(j, (r.nextFloat() - 0.5f) * 100);
                    }
                    return new Object[] {a, HalfArray.allocate(n), BFloat16Array.allocate(n)};
                },
                args -> {
                    BFloat16Array a = (BFloat16Array) args[0], b = (BFloat16Array) args[2];
                    HalfArray hh = (HalfArray) args[1];
                    for (int j = 0; j < a.length(); j++) {
                        hh.set(j, a.get(j) * 2);
                        b.set(j, hh.get(j) + 1);
                    }
                }, List.of(1, 2), null, null, 0);
    }

    // for (@Parallel int r = 0; r < rows; r++) for (@Parallel int c = 0; c < cols; c++) out[c*rows + r] = a[r*cols + c] * 2 + b[r*cols + c];
    public static TestKernel addMatrices2d() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global a = k.array("a", ElementType.F32);
        ArrayTarget.Global b = k.array("b", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Expr rows = k.scalar("rows", I32);
        Expr cols = k.scalar("cols", I32);
        Local r = k.local("r", I32);
        Local c = k.local("c", I32);
        Expr src = toLong(add(mul(ref(r), cols), ref(c)));
        Function f = k.function("transposeScaleAdd", VOID,
                k.pfor(0, r, i32(0), rows,
                        k.pfor(1, c, i32(0), cols,
                                k.store(out, toLong(add(mul(ref(c), rows), ref(r))),
                                        add(mul(load(a, src), f32(2)), load(b, src))))));
        int rowsN = 37, colsN = 53;
        return new TestKernel("transposeScaleAdd", kernel(f),
                rnd -> new Object[] {randomFloats(rnd, rowsN * colsN, 1), randomFloats(rnd, rowsN * colsN, 1),
                        FloatArray.allocate(rowsN * colsN), rowsN, colsN},
                args -> {
                    FloatArray as = (FloatArray) args[0], bs = (FloatArray) args[1], o = (FloatArray) args[2];
                    for (int rr = 0; rr < rowsN; rr++) {
                        for (int cc = 0; cc < colsN; cc++) {
                            o.set((long) cc * rowsN + rr, as.get((long) rr * colsN + cc) * 2 + bs.get((long) rr * colsN + cc));
                        }
                    }
                }, List.of(2), null, null, 0);
    }

    // three nested @Parallel loops: out[(z*ny + y)*nx + x] = x + 100*y + 10000*z + offset
    public static TestKernel sum3d() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global out = k.array("out", ElementType.I32);
        Expr nx = k.scalar("nx", I32);
        Expr ny = k.scalar("ny", I32);
        Expr nz = k.scalar("nz", I32);
        Expr offset = k.scalar("offset", I32);
        Local z = k.local("z", I32);
        Local y = k.local("y", I32);
        Local x = k.local("x", I32);
        Function f = k.function("index3d", VOID,
                k.pfor(0, z, i32(0), nz,
                        k.pfor(1, y, i32(0), ny,
                                k.pfor(2, x, i32(1), nx,
                                        k.store(out, toLong(add(mul(add(mul(ref(z), ny), ref(y)), nx), ref(x))),
                                                add(add(add(ref(x), mul(i32(100), ref(y))), mul(i32(10000), ref(z))),
                                                        offset))))));
        return new TestKernel("index3d", kernel(f),
                r -> new Object[] {IntArray.allocate(5 * 7 * 9), 9, 7, 5, 3},
                args -> {
                    IntArray o = (IntArray) args[0];
                    for (int zz = 0; zz < 5; zz++) {
                        for (int yy = 0; yy < 7; yy++) {
                            for (int xx = 1; xx < 9; xx++) {
                                o.set((zz * 7L + yy) * 9 + xx, xx + 100 * yy + 10000 * zz + 3);
                            }
                        }
                    }
                }, List.of(0), null, null, 0);
    }

    /*
     * for (@Parallel int i = 0; i < n; i++) {
     *     float[] acc = new float[4];
     *     for (int j = 0; j < 16; j++) acc[j & 3] += x.get(i * 16L + j);
     *     out.set(i, acc[0] * 1 + acc[1] * 2 + acc[2] * 3 + acc[3] * 4);
     * }
     */
    public static TestKernel privateArray() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Expr n = k.scalar("n", I32);
        Local i = k.local("i", I32);
        Local j = k.local("j", I32);
        ArrayVar acc = k.privateArray("acc", F32, 4);
        Expr slot = bin(BinaryOp.AND, ref(j), i32(3));
        Function f = k.function("privateArray", VOID,
                k.pfor(0, i, i32(0), n,
                        k.declareArray(acc),
                        k.forLoop(k.decl(j, i32(0)), lt(ref(j), i32(16)), k.inc(j),
                                k.store(acc, slot, add(load(acc, slot),
                                        load(x, add(mul(toLong(ref(i)), i64(16)), toLong(ref(j))))))),
                        k.store(out, toLong(ref(i)), add(add(add(load(acc, i32(0)), mul(load(acc, i32(1)), f32(2))),
                                mul(load(acc, i32(2)), f32(3))), mul(load(acc, i32(3)), f32(4))))));
        int count = 100;
        return new TestKernel("privateArray", kernel(f),
                r -> new Object[] {randomFloats(r, count * 16, 1), FloatArray.allocate(count), count},
                args -> {
                    FloatArray xs = (FloatArray) args[0], o = (FloatArray) args[1];
                    for (int ii = 0; ii < count; ii++) {
                        float[] a = new float[4];
                        for (int jj = 0; jj < 16; jj++) {
                            a[jj & 3] += xs.get(ii * 16L + jj);
                        }
                        o.set(ii, a[0] + a[1] * 2 + a[2] * 3 + a[3] * 4);
                    }
                }, List.of(1), null, null, 0);
    }

    // for (@Parallel long i = start; i < out.length(); i++) out.set(i, i * i - start);
    public static TestKernel longIndex() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global out = k.array("out", ElementType.I64);
        Expr start = k.scalar("start", I64);
        Local i = k.local("i", I64);
        Function f = k.function("longIndex", VOID,
                k.pfor(0, i, start, len(out), k.store(out, ref(i), sub(mul(ref(i), ref(i)), start))));
        return new TestKernel("longIndex", kernel(f),
                r -> new Object[] {LongArray.allocate(900), 5L},
                args -> {
                    LongArray o = (LongArray) args[0];
                    for (long ii = 5; ii < o.length(); ii++) {
                        o.set(ii, ii * ii - 5);
                    }
                }, List.of(0), null, null, 0);
    }

    // for (@Parallel int i = 0; i < x.length(); i++) { double d = x.get(i); out.set(i, (float) (d * d / 3.0 + Math.exp(d) - Math.sqrt(d * d + 1))); }
    public static TestKernel doubles() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        ArrayTarget.Global out = k.array("out", ElementType.F32);
        Local i = k.local("i", I32);
        Local d = k.local("d", F64);
        Function f = k.function("doubles", VOID,
                k.pfor(0, i, i32(0), len(x),
                        k.decl(d, cast(F64, load(x, toLong(ref(i))))),
                        k.store(out, toLong(ref(i)), cast(F32, sub(add(div(mul(ref(d), ref(d)), f64(3.0)),
                                intr(Intrinsic.MATH_EXP, F64, ref(d))),
                                intr(Intrinsic.MATH_SQRT, F64, add(mul(ref(d), ref(d)), f64(1))))))));
        return new TestKernel("doubles", kernel(f),
                r -> new Object[] {randomFloats(r, 400, 2), FloatArray.allocate(400)},
                args -> {
                    FloatArray xs = (FloatArray) args[0], o = (FloatArray) args[1];
                    for (int j = 0; j < xs.length(); j++) {
                        double dd = xs.get(j);
                        o.set(j, (float) (dd * dd / 3.0 + Math.exp(dd) - Math.sqrt(dd * dd + 1)));
                    }
                }, List.of(1), null, null, 1e-9);
    }

    /*
     * RoPE on pairs at position pos:
     * for (@Parallel int p = 0; p < half; p++) {
     *     float freq = (float) Math.pow(theta, -2.0 * p / (2 * half)); float angle = pos * freq;
     *     float c = KernelMath.cos(angle), s = KernelMath.sin(angle);
     *     float a = x.get(2L * p), b = x.get(2L * p + 1);
     *     x.set(2L * p, a * c - b * s); x.set(2L * p + 1, a * s + b * c);
     * }
     */
    public static TestKernel rope() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global x = k.array("x", ElementType.F32);
        Expr half = k.scalar("half", I32);
        Expr pos = k.scalar("pos", I32);
        Expr theta = k.scalar("theta", F32);
        Local p = k.local("p", I32);
        Local freq = k.local("freq", F32);
        Local angle = k.local("angle", F32);
        Local c = k.local("c", F32);
        Local s = k.local("s", F32);
        Local a = k.local("a", F32);
        Local b = k.local("b", F32);
        Expr even = mul(i64(2), toLong(ref(p)));
        Expr odd = add(even, i64(1));
        Function f = k.function("rope", VOID,
                k.pfor(0, p, i32(0), half,
                        k.decl(freq, cast(F32, intr(Intrinsic.MATH_POW, F64, cast(F64, theta),
                                div(mul(f64(-2.0), cast(F64, ref(p))), cast(F64, mul(i32(2), half)))))),
                        k.decl(angle, mul(cast(F32, pos), ref(freq))),
                        k.decl(c, intr(Intrinsic.KM_COS, F32, ref(angle))),
                        k.decl(s, intr(Intrinsic.KM_SIN, F32, ref(angle))),
                        k.decl(a, load(x, even)),
                        k.decl(b, load(x, odd)),
                        k.store(x, even, sub(mul(ref(a), ref(c)), mul(ref(b), ref(s)))),
                        k.store(x, odd, add(mul(ref(a), ref(s)), mul(ref(b), ref(c))))));
        return new TestKernel("rope", kernel(f),
                r -> new Object[] {randomFloats(r, 128, 1), 64, 3000, 10000f},
                args -> {
                    FloatArray xs = (FloatArray) args[0];
                    for (int pp = 0; pp < 64; pp++) {
                        float fr = (float) Math.pow(10000f, -2.0 * pp / 128);
                        float an = 3000 * fr;
                        float cc = (float) Math.cos(an), ss = (float) Math.sin(an);
                        float aa = xs.get(2L * pp), bb = xs.get(2L * pp + 1);
                        xs.set(2L * pp, aa * cc - bb * ss);
                        xs.set(2L * pp + 1, aa * ss + bb * cc);
                    }
                }, List.of(0), null, null, 1e-6);
    }

    /*
     * for (@Parallel int i = 0; i < n; i++) {
     *     boolean[] seen = new boolean[2];  -- private
     *     byte v = bytes.get(i); short s = bytes.getShort(i * 2L % (n - 1)); int w = bytes.getInt(i % (n - 4));
     *     seen[v < 0 ? 1 : 0] = true;
     *     boolean odd = (v & 1) != 0; boolean flag = negate ^ odd;
     *     out.set(i * 4L, flag && !seen[0] ? 1 : 0); out.set(i * 4L + 1, s); out.set(i * 4L + 2, w);
     *     out.set(i * 4L + 3, flag == odd | seen[1] ? (byte) (v + 100) : (short) (s * 3));
     *     bytes2.set(i, (byte) (v * 3));
     * }
     */
    public static TestKernel boolsAndBytes() {
        IrBuilder k = new IrBuilder();
        ArrayTarget.Global bytes = k.array("bytes", ElementType.I8);
        ArrayTarget.Global out = k.array("out", ElementType.I32);
        ArrayTarget.Global bytes2 = k.array("bytes2", ElementType.I8);
        Expr n = k.scalar("n", I32);
        Expr negate = k.scalar("negate", BOOL);
        Local i = k.local("i", I32);
        ArrayVar seen = k.privateArray("seen", BOOL, 2);
        Local v = k.local("v", I8);
        Local s = k.local("s", I16);
        Local w = k.local("w", I32);
        Local odd = k.local("odd", BOOL);
        Local flag = k.local("flag", BOOL);
        Expr base = mul(toLong(ref(i)), i64(4));
        Function f = k.function("boolsAndBytes", VOID,
                k.pfor(0, i, i32(0), n,
                        k.declareArray(seen),
                        k.decl(v, load(bytes, toLong(ref(i)))),
                        k.decl(s, byteLoad(bytes, ByteAccess.SHORT, bin(BinaryOp.REM, mul(toLong(ref(i)), i64(2)),
                                toLong(sub(n, i32(1)))))),
                        k.decl(w, byteLoad(bytes, ByteAccess.INT, toLong(bin(BinaryOp.REM, ref(i), sub(n, i32(4)))))),
                        k.store(seen, ternary(lt(cast(I32, ref(v)), i32(0)), i32(1), i32(0)), bool(true)),
                        k.decl(odd, bin(BinaryOp.NE, bin(BinaryOp.AND, cast(I32, ref(v)), i32(1)), i32(0))),
                        k.decl(flag, bin(BinaryOp.XOR, negate, ref(odd))),
                        k.store(out, base, ternary(bin(BinaryOp.LOGICAL_AND, ref(flag), not(load(seen, i32(0)))),
                                i32(1), i32(0))),
                        k.store(out, add(base, i64(1)), cast(I32, ref(s))),
                        k.store(out, add(base, i64(2)), ref(w)),
                        k.store(out, add(base, i64(3)), ternary(bin(BinaryOp.OR, bin(BinaryOp.EQ, ref(flag), ref(odd)),
                                        load(seen, i32(1))),
                                cast(I32, cast(I8, add(cast(I32, ref(v)), i32(100)))),
                                cast(I32, cast(I16, mul(cast(I32, ref(s)), i32(3)))))),
                        k.store(bytes2, toLong(ref(i)), cast(I8, mul(cast(I32, ref(v)), i32(3))))));
        int count = 150;
        return new TestKernel("boolsAndBytes", kernel(f),
                r -> {
                    ByteArray bs = ByteArray.allocate(count);
                    for (int j = 0; j < count; j++) {
                        bs.set(j, (byte) r.nextInt());
                    }
                    return new Object[] {bs, IntArray.allocate(count * 4L), ByteArray.allocate(count), count, true};
                },
                args -> {
                    ByteArray bs = (ByteArray) args[0], b2 = (ByteArray) args[2];
                    IntArray o = (IntArray) args[1];
                    boolean ng = (Boolean) args[4];
                    for (int j = 0; j < count; j++) {
                        boolean[] sn = new boolean[2];
                        byte vv = bs.get(j);
                        short ss = bs.getShort(j * 2L % (count - 1));
                        int ww = bs.getInt(j % (count - 4));
                        sn[vv < 0 ? 1 : 0] = true;
                        boolean od = (vv & 1) != 0;
                        boolean fl = ng ^ od;
                        o.set(j * 4L, fl && !sn[0] ? 1 : 0);
                        o.set(j * 4L + 1, ss);
                        o.set(j * 4L + 2, ww);
                        o.set(j * 4L + 3, fl == od | sn[1] ? (byte) (vv + 100) : (short) (ss * 3));
                        b2.set(j, (byte) (vv * 3));
                    }
                }, List.of(1, 2), null, null, 0);
    }
}
