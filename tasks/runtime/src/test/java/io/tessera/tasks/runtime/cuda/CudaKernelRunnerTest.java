package io.tessera.tasks.runtime.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.ir.ArrayTarget;
import io.tessera.tasks.compiler.ir.BinaryOp;
import io.tessera.tasks.compiler.ir.Expr;
import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.Local;
import io.tessera.tasks.compiler.ir.Param;
import io.tessera.tasks.compiler.ir.ScalarType;
import io.tessera.tasks.compiler.ir.Stmt;
import io.tessera.tasks.runtime.kernel.WrittenArrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CudaKernelRunnerTest {

    /**
     * {@code for (@Parallel int r = 0; r < rows; r++) { float acc = 0; for (int c = 0; c < cols; c++)
     * acc += w.get((long) r * cols + c) * x.get(c); out.set(r, acc); }}
     */
    static KernelIr matVec() {
        ArrayTarget.Global w = new ArrayTarget.Global(0, "w", ElementType.F32);
        ArrayTarget.Global x = new ArrayTarget.Global(1, "x", ElementType.F32);
        ArrayTarget.Global out = new ArrayTarget.Global(2, "out", ElementType.F32);
        Expr rows = new Expr.ParamRef(3, "rows", ScalarType.I32, 1);
        Expr cols = new Expr.ParamRef(4, "cols", ScalarType.I32, 1);
        Local r = new Local(0, "r", ScalarType.I32);
        Local acc = new Local(1, "acc", ScalarType.F32);
        Local c = new Local(2, "c", ScalarType.I32);
        Expr rRef = new Expr.LocalRef(r, 3);
        Expr cRef = new Expr.LocalRef(c, 4);
        Expr index = new Expr.Binary(BinaryOp.ADD, new Expr.Binary(BinaryOp.MUL, new Expr.Cast(ScalarType.I64, rRef, 4),
                new Expr.Cast(ScalarType.I64, cols, 4), 4), new Expr.Cast(ScalarType.I64, cRef, 4), 4);
        Expr product = new Expr.Binary(BinaryOp.MUL, new Expr.Load(w, index, 4),
                new Expr.Load(x, new Expr.Cast(ScalarType.I64, cRef, 4), 4), 4);
        Stmt inner = new Stmt.For(List.of(new Stmt.Declare(c, Expr.Const.ofInt(0, 4), 4)),
                new Expr.Binary(BinaryOp.LT, cRef, cols, 4),
                List.of(new Stmt.Assign(c, new Expr.Binary(BinaryOp.ADD, cRef, Expr.Const.ofInt(1, 4), 4), 4)),
                new Stmt.Assign(acc, new Expr.Binary(BinaryOp.ADD, new Expr.LocalRef(acc, 4), product, 4), 4), 4);
        Stmt body = new Stmt.Block(List.of(
                new Stmt.Declare(acc, new Expr.Const(ScalarType.F32, 0f, 3), 3), inner,
                new Stmt.Store(out, new Expr.Cast(ScalarType.I64, rRef, 5), new Expr.LocalRef(acc, 5), 5)), 2);
        Stmt loop = new Stmt.ParallelFor(0, r, Expr.Const.ofInt(0, 2), rows, body, 2);
        Function f = new Function("matVec", "matVec", List.of(new Param.ArrayParam("w", ElementType.F32),
                new Param.ArrayParam("x", ElementType.F32), new Param.ArrayParam("out", ElementType.F32),
                new Param.ScalarParam("rows", ScalarType.I32), new Param.ScalarParam("cols", ScalarType.I32)),
                ScalarType.VOID, new Stmt.Block(List.of(loop), 1), 1);
        return new KernelIr("io.tessera.test.CudaKernels", "CudaKernels.java", f, List.of(), "");
    }

    static void matVecJava(FloatArray w, FloatArray x, FloatArray out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float acc = 0;
            for (int c = 0; c < cols; c++) {
                acc += w.get((long) r * cols + c) * x.get(c);
            }
            out.set(r, acc);
        }
    }

    @Test
    void gridsCoverTheIterationsAndStrideBeyondTheCap() {
        KernelIr ir = matVec();
        int[][] small = CudaKernelRunner.grid(ir, new Object[] {null, null, null, 1000, 8}, null, null, 132);
        assertThat(small[0]).containsExactly(4, 1, 1);
        assertThat(small[1]).containsExactly(256, 1, 1);
        int[][] large = CudaKernelRunner.grid(ir, new Object[] {null, null, null, 100_000_000, 8}, null, null, 132);
        assertThat(large[0]).containsExactly(32 * 132, 1, 1);
        assertThat(CudaKernelRunner.grid(ir, new Object[] {null, null, null, 0, 8}, null, null, 132)).isNull();
        int[][] explicit = CudaKernelRunner.grid(ir, null, new long[] {1024, 4}, new long[] {128, 2}, 132);
        assertThat(explicit[0]).containsExactly(8, 2, 1);
        assertThat(explicit[1]).containsExactly(128, 2, 1);
        assertThatThrownBy(() -> CudaKernelRunner.grid(ir, null, new long[] {100}, new long[] {64}, 132))
                .hasMessageContaining("not a multiple of the local size 64");
    }

    @Test
    void onlyWrittenArraysAreCopiedBack() {
        assertThat(WrittenArrays.of(matVec())).containsExactly(2);
    }

    @Test
    @Tag("gpu")
    void matVecOnTheGpuMatchesTheJvm() {
        String reason = CudaDriver.unavailableReason();
        assumeTrue(reason == null, () -> "no CUDA device: " + reason);
        CudaDriver driver = CudaDriver.load();
        assumeTrue(driver.deviceCount() > 0, "the CUDA driver reports no device");
        int rows = 8192;
        int cols = 8192;
        Random random = new Random(1);
        FloatArray w = FloatArray.allocate((long) rows * cols);
        FloatArray x = FloatArray.allocate(cols);
        for (long i = 0; i < w.length(); i++) {
            w.set(i, random.nextFloat() - 0.5f);
        }
        for (int i = 0; i < cols; i++) {
            x.set(i, random.nextFloat() - 0.5f);
        }
        FloatArray expected = FloatArray.allocate(rows);
        FloatArray actual = FloatArray.allocate(rows);
        matVecJava(w, x, expected, rows, cols);
        try (CudaKernelRunner runner = new CudaKernelRunner(driver, 0)) {
            runner.run(matVec(), new Object[] {w, x, actual, rows, cols});
            double err = 0;
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                err += Math.pow(expected.get(i) - actual.get(i), 2);
                norm += Math.pow(expected.get(i), 2);
            }
            assertThat(err / norm).as("normalised mean squared error").isLessThan(1e-10);
            CudaKernelRunner.Timing t = runner.run(matVec(), new Object[] {w, x, actual, rows, cols}, Map.of(4, cols),
                    null, null);
            double bandwidth = (double) w.byteSize() / (t.kernelMillis() / 1e3);
            System.out.printf("matVec %dx%d F32 on %s: %.3f ms, %.1f GB/s, %.1f%% of peak %.1f GB/s%n", rows, cols,
                    runner.device().name(), t.kernelMillis(), bandwidth / 1e9,
                    100 * bandwidth / runner.device().peakBandwidthBytesPerSecond(),
                    runner.device().peakBandwidthBytesPerSecond() / 1e9);
        }
    }
}
