import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.audio.encoder.RandomGemma4aMmprojFile;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.pipeline.reference.Mtmd;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.tasks.api.Device;

/**
 * ci/bench/conformer: median encode time of one clip through the gemma4a conformer with the E2B/E4B
 * shape, ours per device and llama.cpp mtmd's, per second of audio. Arguments: work directory,
 * then [seconds] [runs] [devices...].
 */
public final class ConformerBench {
    /** Text width of the soft tokens: the projection is a small part of the work at any width. */
    static final int TEXT = 64;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> devices = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("jvm", "opencl:0");
        if (seconds <= 0 || seconds > 30) {
            throw new IllegalArgumentException("one chunk holds up to 30 s of audio, not " + seconds);
        }
        Path mmproj = work.resolve("gemma4a-e2b-shape-random-f32.gguf");
        if (!Files.exists(mmproj)) {
            Path partial = work.resolve(mmproj.getFileName() + ".partial");
            RandomGemma4aMmprojFile.gemma4(TEXT, 4).write(partial);
            Files.move(partial, mmproj);
        }
        Path text = work.resolve("gemma3-random-text-" + TEXT + ".gguf");
        if (!Files.exists(text)) {
            new RandomGemmaFile(Architecture.GEMMA3, 1, TEXT, 128, 4, 2, 16, 320, 64, 512, GgufTensorType.F32,
                    GgufTensorType.F32, 1_000_000f, 1f, 0f, 0f, 5).write(text);
        }
        float[] pcm = clip((int) Math.round(seconds * 16_000));
        System.out.printf("gemma4a conformer, E2B/E4B shape (1024 wide, 12 blocks), random F32 weights, %s%n",
                mmproj.getFileName());
        System.out.printf("%.1f s of audio, median of %d timed runs after one untimed, %d cores%n", seconds, runs,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-14s %8s %12s %16s%n", "implementation", "tokens", "ms per clip", "ms per audio s");
        try (Mmproj mm = Mmproj.load(mmproj)) {
            for (String selector : devices) {
                try (AudioEncoder encoder = AudioEncoder.open(mm, Device.select(selector))) {
                    int tokens = encoder.tokens(pcm.length);
                    report(selector, tokens, seconds, time(runs, () -> encoder.encode(pcm)));
                }
            }
        }
        Mtmd mtmd = Mtmd.require();
        try (Mtmd.Session ref = mtmd.open(text, mmproj, 2048)) {
            int[] tokens = new int[1];
            report("llama.cpp mtmd", 0, seconds, time(runs, () -> {
                List<Mtmd.Chunk> chunks = ref.tokenize("x" + mtmd.marker() + "y", List.of(new Mtmd.Audio(pcm)));
                for (int i = 0; i < chunks.size(); i++) {
                    if (chunks.get(i).audio()) {
                        tokens[0] = chunks.get(i).tokens();
                        return ref.encodeMedia(i, tokens[0], TEXT);
                    }
                }
                throw new IllegalStateException("mtmd made no audio chunk");
            }));
            System.out.printf("(mtmd: %d tokens; its time includes tokenizing the clip, log-mel features and all)%n",
                    tokens[0]);
        }
        System.out.println("Other work may have been running on this machine: the numbers are contended.");
    }

    static void report(String name, int tokens, double seconds, double ms) {
        System.out.printf("%-14s %8s %12.1f %16.1f%n", name, tokens > 0 ? Integer.toString(tokens) : "", ms,
                ms / seconds);
    }

    static double time(int runs, Supplier<float[]> work) {
        work.get();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.get();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        ms.sort(null);
        return ms.get(ms.size() / 2);
    }

    /** A chirp with noise, in [-1, 1]. */
    static float[] clip(int n) {
        SplittableRandom r = new SplittableRandom(3);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / 16_000.0;
            s[i] = (float) (0.4 * Math.sin(2 * Math.PI * (200 + 300 * t) * t) + 0.05 * (r.nextDouble() * 2 - 1));
        }
        return s;
    }
}
