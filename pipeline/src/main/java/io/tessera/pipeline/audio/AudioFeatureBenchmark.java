package io.tessera.pipeline.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.tessera.media.audio.FeatureExtractor;
import io.tessera.media.audio.Gemma3nFeatureExtractor;
import io.tessera.media.audio.Gemma4FeatureExtractor;
import io.tessera.media.audio.WhisperFeatureExtractor;
import io.tessera.tasks.api.Device;

/**
 * Seconds of 16 kHz audio turned into log-mel features per second of wall time, for each
 * extractor: the media module's plain Java extractor, and the task graph on each device given.
 * The first extractions (compilation, warm-up) are not timed; the median of the timed runs is.
 * Arguments: {@code [seconds of audio] [timed runs] [device selectors...]}, default
 * {@code 30 5 jvm opencl:pocl}.
 */
public final class AudioFeatureBenchmark {
    private static final int WARM_UP = 2;

    private AudioFeatureBenchmark() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> devices = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of("jvm", "opencl:pocl");
        float[] samples = chirpPlusNoise(seconds);
        List<FeatureExtractor> extractors = List.of(Gemma3nFeatureExtractor.DEFAULT, Gemma4FeatureExtractor.DEFAULT,
                WhisperFeatureExtractor.MEL80, WhisperFeatureExtractor.MEL128);
        System.out.printf("%.1f s of audio, median of %d runs, %d cores%n", seconds, runs,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-11s %-16s %12s %14s%n", "extractor", "implementation", "ms per run", "audio s / s");
        for (FeatureExtractor e : extractors) {
            report(e.name(), "plain java", seconds, time(runs, () -> e.extract(samples)));
            for (String selector : devices) {
                Device device = Device.select(selector);
                try (TaskGraphFeatureExtractor graph = TaskGraphFeatureExtractor.on(e, device)) {
                    report(e.name(), "graph " + selector, seconds, time(runs, () -> graph.extract(samples)));
                }
            }
        }
    }

    private static void report(String extractor, String implementation, double seconds, double runSeconds) {
        System.out.printf("%-11s %-16s %12.1f %14.0f%n", extractor, implementation, runSeconds * 1e3, seconds / runSeconds);
    }

    /** Median wall time of {@code runs} calls after the warm-up calls, in seconds. */
    private static double time(int runs, Runnable body) {
        for (int i = 0; i < WARM_UP; i++) {
            body.run();
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            times.add((System.nanoTime() - start) / 1e9);
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    /** A linear chirp 60 Hz → 7.5 kHz at amplitude 0.5 plus Gaussian noise of deviation 0.05, seeded. */
    private static float[] chirpPlusNoise(double seconds) {
        int n = (int) Math.round(seconds * FeatureExtractor.SAMPLE_RATE);
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / FeatureExtractor.SAMPLE_RATE;
            double phase = 2 * Math.PI * (60 * t + (7500 - 60) * t * t / (2 * seconds));
            double gauss = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            x[i] = (float) (0.5 * Math.sin(phase) + 0.05 * gauss);
        }
        return x;
    }
}
