package io.tessera.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tessera.media.audio.AudioFeatures;
import io.tessera.media.audio.FeatureExtractor;
import io.tessera.media.audio.Gemma3nFeatureExtractor;
import io.tessera.media.audio.Gemma4FeatureExtractor;
import io.tessera.media.audio.WhisperFeatureExtractor;
import io.tessera.tasks.api.Device;

/**
 * Each extractor as a task graph on the JVM backend and on the CPU OpenCL platforms, against the
 * media module's plain Java extractor (itself checked against NumPy): the same chunks, shapes and
 * masks, and log-mel values within 1e-3. Inputs are a seeded chirp plus noise: 30 s (one full
 * chunk) and 37.3 s (a full chunk and a padded partial one, where Gemma 4 masks frames and Whisper
 * clamps against the maximum of both chunks; not on rusticl, to keep the suite short).
 *
 * <p>The kernels compute in float, the reference in double. A float spectrum carries rounding noise
 * about 1e-7 of the frame's energy in every bin, so a log-mel value far below its frame's peak is
 * off by roughly that noise over the value: with the chirp over a noise floor 34 dB down (deviation
 * 0.01), Gemma 3n's pre-emphasis leaves its lowest mel bins about 110 dB under the peak and their
 * error reaches a few 1e-3. {@link #highDynamicRangeErrorStaysInTheFloatNoiseFloor} pins that
 * behaviour; the main comparison uses a noise floor 20 dB down (deviation 0.05).
 */
class TaskGraphFeatureExtractorTest {
    private static final double TOLERANCE = 1e-3;
    private static final List<FeatureExtractor> EXTRACTORS = List.of(Gemma3nFeatureExtractor.DEFAULT,
            Gemma4FeatureExtractor.DEFAULT, WhisperFeatureExtractor.MEL80, WhisperFeatureExtractor.MEL128);
    private static final Map<String, List<AudioFeatures>> REFERENCES = new ConcurrentHashMap<>();
    private static final Map<Double, float[]> SIGNALS = new ConcurrentHashMap<>();

    /** A linear chirp 60 Hz → 7.5 kHz at amplitude 0.5 plus Gaussian noise of deviation {@code noise}, seeded. */
    static float[] chirpPlusNoise(double seconds, long seed, double noise) {
        int n = (int) Math.round(seconds * FeatureExtractor.SAMPLE_RATE);
        SplittableRandom random = new SplittableRandom(seed);
        double f0 = 60;
        double f1 = 7500;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / FeatureExtractor.SAMPLE_RATE;
            double phase = 2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds));
            double gauss = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            x[i] = (float) (0.5 * Math.sin(phase) + noise * gauss);
        }
        return x;
    }

    static Stream<Arguments> cases() {
        // rusticl (llvmpipe) is the slowest platform: 30 s only there
        return Stream.of("jvm", "opencl:pocl", "opencl:rusticl")
                .flatMap(d -> EXTRACTORS.stream().flatMap(e -> (d.endsWith("rusticl") ? Stream.of(30.0) : Stream.of(30.0, 37.3))
                        .map(s -> Arguments.of(d, e.name(), s))));
    }

    @ParameterizedTest(name = "{1} on {0}, {2} s")
    @MethodSource("cases")
    void matchesThePlainJavaExtractor(String selector, String name, double seconds) {
        Device device = available(selector);
        Assumptions.assumeTrue(device != null, "no device " + selector + " on this machine");
        FeatureExtractor extractor = EXTRACTORS.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        float[] samples = SIGNALS.computeIfAbsent(seconds, s -> chirpPlusNoise(s, 7, 0.05));
        List<AudioFeatures> want = REFERENCES.computeIfAbsent(name + "/" + seconds, k -> extractor.extract(samples));
        List<AudioFeatures> got;
        try (TaskGraphFeatureExtractor graph = TaskGraphFeatureExtractor.on(extractor, device)) {
            got = graph.extract(samples);
        }
        assertThat(got).hasSameSizeAs(want);
        double worst = 0;
        for (int c = 0; c < want.size(); c++) {
            AudioFeatures w = want.get(c);
            AudioFeatures g = got.get(c);
            assertThat(g.features().shape()).as("shape of chunk " + c).containsExactly(w.features().shape());
            assertThat(g.mask()).as("mask of chunk " + c).isEqualTo(w.mask());
            assertThat(g.startSeconds()).isEqualTo(w.startSeconds());
            float[] a = g.features().data();
            float[] b = w.features().data();
            for (int i = 0; i < b.length; i++) {
                worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
            }
        }
        System.out.printf("%s on %s, %.1f s: %d chunks, max abs error %.3g%n", name, selector, seconds, want.size(), worst);
        assertThat(worst).as("max abs error of " + name + " on " + selector).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void gemma4MasksAndZeroesTheFramesPastTheAudio() {
        float[] samples = chirpPlusNoise(0.5, 3, 0.05);
        try (TaskGraphFeatureExtractor graph = TaskGraphFeatureExtractor.on(Gemma4FeatureExtractor.DEFAULT, Device.jvm())) {
            AudioFeatures f = graph.extract(samples).getFirst();
            int valid = Math.floorDiv(samples.length + 160 - 321, 160) + 1;
            int frames = f.features().dim(0);
            assertThat(frames).isGreaterThan(valid);
            for (int t = 0; t < frames; t++) {
                assertThat(f.mask()[t]).as("frame " + t).isEqualTo(t < valid);
                float rowMax = Float.NEGATIVE_INFINITY;
                for (int m = 0; m < 128; m++) {
                    float v = f.features().data()[t * 128 + m];
                    rowMax = Math.max(rowMax, v);
                    if (t >= valid) {
                        assertThat(v).as("frame " + t + " mel " + m).isZero();
                    }
                }
                if (t < valid) {
                    // the chirp's band: far above the silence level ln(0.001)
                    assertThat(rowMax).as("frame " + t).isGreaterThan((float) Math.log(0.001) + 5);
                }
            }
            assertThat(graph.describe()).contains("frame", "spectrum", "melLog");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extractors")
    void highDynamicRangeErrorStaysInTheFloatNoiseFloor(String name) {
        FeatureExtractor extractor = EXTRACTORS.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        float[] samples = chirpPlusNoise(30, 11, 0.01);
        AudioFeatures want = extractor.extract(samples).getFirst();
        AudioFeatures got;
        try (TaskGraphFeatureExtractor graph = TaskGraphFeatureExtractor.on(extractor, Device.jvm())) {
            got = graph.extract(samples).getFirst();
        }
        // Gemma: [frames][mels]; Whisper: [mels][frames]
        boolean framesFirst = want.mask() != null;
        int frames = framesFirst ? want.features().dim(0) : want.features().dim(1);
        int mels = framesFirst ? want.features().dim(1) : want.features().dim(0);
        float[] a = got.features().data();
        float[] b = want.features().data();
        double worst = 0;
        double worstNearPeak = 0;
        for (int t = 0; t < frames; t++) {
            double peak = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < mels; m++) {
                peak = Math.max(peak, b[framesFirst ? t * mels + m : m * frames + t]);
            }
            for (int m = 0; m < mels; m++) {
                int i = framesFirst ? t * mels + m : m * frames + t;
                double e = Math.abs((double) a[i] - b[i]);
                worst = Math.max(worst, e);
                // Gemma: within 10 natural-log units (87 dB of mel energy) of the frame's peak; Whisper's
                // clamp already keeps every value within 80 dB of the maximum
                if (!framesFirst || b[i] > peak - 10) {
                    worstNearPeak = Math.max(worstNearPeak, e);
                }
            }
        }
        System.out.printf("%s, noise 0.01: max abs error %.3g, within 87 dB of the frame peak %.3g%n", name, worst,
                worstNearPeak);
        assertThat(worstNearPeak).isLessThanOrEqualTo(TOLERANCE);
        assertThat(worst).isLessThanOrEqualTo(20 * TOLERANCE);
    }

    static Stream<String> extractors() {
        return EXTRACTORS.stream().map(FeatureExtractor::name);
    }

    private static Device available(String selector) {
        try {
            return Device.select(selector);
        } catch (IllegalArgumentException absent) {
            return null;
        }
    }
}
