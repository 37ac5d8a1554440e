package io.tessera.tasks.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.MatVec;
import io.tessera.tasks.kernels.Quant;

/**
 * y = W x for an 8192 x 4096 weight matrix of each type, weights resident on the device: one
 * operation streams every weight byte once, the decode step's bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatVecBenchmark {
    @Param({"F16", "Q8_0", "Q4_0"})
    public String type;

    @Param({"jvm", "opencl:pocl"})
    public String device;

    private ExecutionPlan plan;

    @Setup(Level.Trial)
    public void setUp() {
        int n = Workloads.ROWS;
        int k = Workloads.COLS;
        FloatArray x = Workloads.floats(k, 2);
        FloatArray y = FloatArray.allocate(n);
        TypedArray w;
        TaskGraph g = new TaskGraph("bench");
        switch (type) {
            case "F16" -> {
                var h = Workloads.halves((long) n * k, 1);
                w = h;
                g.transferToDevice(DataTransferMode.FIRST_EXECUTION, w, x).task("matvec", MatVec::matVecF16, h, x, y, n, k);
            }
            case "Q8_0" -> {
                var q = Workloads.blocks(n, k, Quant.Q8_0_BYTES, 1);
                w = q;
                g.transferToDevice(DataTransferMode.FIRST_EXECUTION, w, x).task("matvec", MatVec::matVecQ8_0, q, x, y, n, k);
            }
            case "Q4_0" -> {
                var q = Workloads.blocks(n, k, Quant.Q4_0_BYTES, 1);
                w = q;
                g.transferToDevice(DataTransferMode.FIRST_EXECUTION, w, x).task("matvec", MatVec::matVecQ4_0, q, x, y, n, k);
            }
            default -> throw new IllegalArgumentException(type);
        }
        plan = new ExecutionPlan(g.snapshot()).withDevice(device).withWarmUp();
    }

    @Benchmark
    public void matVec() {
        plan.execute();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
    }

    /** Bytes of weights one operation reads. */
    static long weightBytes(String type) {
        long elements = (long) Workloads.ROWS * Workloads.COLS;
        return switch (type) {
            case "F16" -> elements * 2;
            case "Q8_0" -> elements / Quant.BLOCK * Quant.Q8_0_BYTES;
            case "Q4_0" -> elements / Quant.BLOCK * Quant.Q4_0_BYTES;
            default -> throw new IllegalArgumentException(type);
        };
    }
}
