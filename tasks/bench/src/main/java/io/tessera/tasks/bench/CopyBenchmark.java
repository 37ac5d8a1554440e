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
import io.tessera.tasks.kernels.Elementwise;

/** The copy kernel over 64 Mi floats (256 MiB in, 256 MiB out): the device's memory bandwidth. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CopyBenchmark {
    static final int ELEMENTS = 64 << 20;

    @Param({"jvm", "opencl:pocl"})
    public String device;

    private ExecutionPlan plan;

    @Setup(Level.Trial)
    public void setUp() {
        FloatArray src = Workloads.floats(ELEMENTS, 1);
        FloatArray dst = FloatArray.allocate(ELEMENTS);
        TaskGraph g = new TaskGraph("bench")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, src)
                .task("copy", Elementwise::copy, src, 0L, dst, 0L, ELEMENTS);
        plan = new ExecutionPlan(g.snapshot()).withDevice(device).withWarmUp();
    }

    @Benchmark
    public void copy() {
        plan.execute();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
    }

    /** Bytes read plus bytes written per copy. */
    static long bytes() {
        return 2L * ELEMENTS * Float.BYTES;
    }
}
