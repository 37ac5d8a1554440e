package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import io.tessera.pipeline.config.BackendsConfig;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.model.Model;
import io.tessera.tasks.api.Device;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a model: the file, the device, the context. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "GGUF model file (ask: or a Hugging Face PaliGemma directory).")
    Path model;

    @Option(names = "--backend", paramLabel = "SEL",
            description = "Device selector from 'tessera devices' (jvm, opencl:pocl, ...) or auto; "
                    + "default from conf/backends.yaml.")
    String backend;

    @Option(names = "--ctx", paramLabel = "N",
            description = "Context length: positions of the KV cache (default: the model's, at most 4096).")
    Integer contextLength;

    @Option(names = "--tile", paramLabel = "N", defaultValue = "128",
            description = "Prompt tokens per prefill tile (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--attention-scale", paramLabel = "X",
            description = "Query scale instead of llama.cpp's rule (for files whose query_pre_attn_scalar "
                    + "is not head_dim), e.g. 0.0625.")
    Float attentionScale;

    @Option(names = "--graphs", description = "Print the dataflow diagram of every task graph on stderr.")
    boolean graphs;

    @Option(names = "--quiet", description = "No load report on stderr.")
    boolean quiet;

    /** Loads the model, reporting on {@code err}. */
    Model load(PrintWriter err) {
        long start = System.nanoTime();
        if (attentionScale != null && !(attentionScale > 0)) {
            throw new IllegalArgumentException("--attention-scale must be positive, not " + attentionScale);
        }
        Model m = Model.load(model, name -> { }, attentionScale != null ? attentionScale : 0f);
        if (!quiet) {
            err.print(m.report());
            err.printf("  mapped in %.0f ms%n", (System.nanoTime() - start) / 1e6);
            err.flush();
        }
        return m;
    }

    /** A decoder for {@code m} on the chosen device, reporting its memory (and graphs with --graphs) on {@code err}. */
    Decoder decoder(Model m, BackendsConfig config, boolean allLogits, PrintWriter err) {
        Device device = device(backend, config);
        Decoder d = new Decoder(m, device, new Decoder.Options(contextLength(m), tile, allLogits));
        if (!quiet) {
            err.printf("  device %s: %s in use (weights, activations, KV cache of %d positions)%n", device,
                    Model.bytes(d.deviceBytes()), d.contextLength());
        }
        if (graphs) {
            d.diagrams().forEach(err::print);
        }
        err.flush();
        return d;
    }

    int contextLength(Model m) {
        int ctx = contextLength != null ? contextLength : Math.min(m.config().trainedContext(), 4096);
        if (ctx <= 0) {
            throw new IllegalArgumentException("--ctx must be positive, not " + ctx);
        }
        return ctx;
    }

    /** The device of {@code selector}, or of the configuration's default; {@code auto} takes the first available preference. */
    static Device device(String selector, BackendsConfig config) {
        String s = selector != null ? selector : config.defaultSelector();
        if (!s.equals("auto")) {
            return Device.select(s);
        }
        List<String> tried = config.preferences();
        for (String p : tried) {
            try {
                return Device.select(p);
            } catch (RuntimeException e) {
                // not on this machine: try the next preference
            }
        }
        throw new IllegalArgumentException("--backend auto: none of " + tried + " is available");
    }
}
