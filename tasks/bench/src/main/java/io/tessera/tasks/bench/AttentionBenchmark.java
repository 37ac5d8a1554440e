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
import io.tessera.tasks.kernels.Attention;

/** One decode step of attention: 8 query heads, 4 KV heads of 256, against 2048 cached positions. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AttentionBenchmark {
    static final int HEADS = 8;
    static final int KV_HEADS = 4;
    static final int HEAD_DIM = 256;
    static final int LENGTH = 2048;

    @Param({"jvm", "opencl:pocl"})
    public String device;

    private ExecutionPlan plan;

    @Setup(Level.Trial)
    public void setUp() {
        long kv = (long) LENGTH * KV_HEADS * HEAD_DIM;
        FloatArray q = Workloads.floats((long) HEADS * HEAD_DIM, 1);
        FloatArray keys = Workloads.floats(kv, 2);
        FloatArray values = Workloads.floats(kv, 3);
        FloatArray out = FloatArray.allocate((long) HEADS * HEAD_DIM);
        TaskGraph g = new TaskGraph("bench")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, q, keys, values)
                .task("attention", Attention::attentionDecode, q, keys, values, out, HEADS, KV_HEADS, HEAD_DIM,
                        LENGTH, 0, (float) (1 / Math.sqrt(HEAD_DIM)), 0f);
        plan = new ExecutionPlan(g.snapshot()).withDevice(device).withWarmUp();
    }

    @Benchmark
    public void attentionDecode() {
        plan.execute();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
    }

    /** Bytes of the KV cache one step reads. */
    static long cacheBytes() {
        return 2L * LENGTH * KV_HEADS * HEAD_DIM * Float.BYTES;
    }

    /** Multiply-adds of q.k and p.v, two flops each. */
    static long flops() {
        return 4L * HEADS * LENGTH * HEAD_DIM;
    }
}
