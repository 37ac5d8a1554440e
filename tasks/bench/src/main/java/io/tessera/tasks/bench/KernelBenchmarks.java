package io.tessera.tasks.bench;

import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the kernel benchmarks with JMH and prints what they mean: GB/s of weights (or cache, or
 * copied memory) streamed and GFLOP/s, next to the copy kernel's bandwidth of the same device.
 * Arguments: an optional regular expression selecting benchmarks.
 */
public final class KernelBenchmarks {
    private KernelBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : "io\\.tessera\\.tasks\\.bench\\..*Benchmark")
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                        "-Xmx12g");
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.printf("%-22s %-6s %-12s %12s %10s %10s%n", "BENCHMARK", "TYPE", "DEVICE", "OPS/S", "GB/S", "GFLOP/S");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String device = r.getParams().getParam("device");
            String type = r.getParams().getParam("type");
            double ops = r.getPrimaryResult().getScore();
            double bytes;
            double flops;
            switch (name) {
                case "matVec" -> {
                    bytes = MatVecBenchmark.weightBytes(type);
                    flops = 2.0 * Workloads.ROWS * Workloads.COLS;
                }
                case "attentionDecode" -> {
                    bytes = AttentionBenchmark.cacheBytes();
                    flops = AttentionBenchmark.flops();
                }
                case "copy" -> {
                    bytes = CopyBenchmark.bytes();
                    flops = 0;
                }
                default -> {
                    bytes = 0;
                    flops = 0;
                }
            }
            System.out.printf(Locale.ROOT, "%-22s %-6s %-12s %12.2f %10.2f %10.2f%n", name, type == null ? "-" : type,
                    device, ops, ops * bytes / 1e9, ops * flops / 1e9);
        }
    }
}
