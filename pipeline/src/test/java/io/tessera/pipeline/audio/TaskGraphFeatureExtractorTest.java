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
import io.tessera.tasks.runtime.device.Devices;

/**
 * Each extractor as a task graph on the JVM backend and on the CPU OpenCL platforms, against the
 * media module's plain Java extractor (itself checked against NumPy): the same chunks, shapes and
 * masks, and log-mel values within 1e-3. Inputs: a pure 1 kHz tone (3 s), and a seeded chirp with
 * no noise (30 s, one full chunk) and with noise of deviation 0.01 (37.3 s: a full chunk and a padded
 * partial one, where Gemma 4 masks frames and Whisper clamps against the maximum of both chunks).
 * rusticl, the slowest platform, gets the tone and the noise-free chirp.
 *
 * <p>Gemma 3n's pre-emphasis leaves its lowest mel bins about 110 dB under the frame's peak on these
 * inputs, below the rounding noise of a float transform (about 1e-7 of the frame's energy in every
 * bin). Devices with fp64 transform in double and meet 1e-3 everywhere; rusticl has no fp64 and
 * runs the float path, whose measured bounds ({@link #floatPathBound}) are pinned here, as is its
 * 1e-3 within 87 dB of each frame's peak ({@link #floatPathIsExactNearThePeakOnly}).
 */
class TaskGraphFeatureExtractorTest {
    private static final double TOLERANCE = 1e-3;
    /**
     * Bound on the float path's max abs error over these inputs, per extractor. Measured on jvm and
     * rusticl: Gemma 3n 0.153 (tone) and 0.597 (noise-free chirp), Gemma 4 6.0e-3, Whisper 5.2e-5.
     */
    private static double floatPathBound(String extractor) {
        return switch (extractor) {
            case "gemma3n" -> 0.75;
            case "gemma4" -> 0.01;
            default -> 1e-4;
        };
    }
    private static final List<FeatureExtractor> EXTRACTORS = List.of(Gemma3nFeatureExtractor.DEFAULT,
            Gemma4FeatureExtractor.DEFAULT, WhisperFeatureExtractor.MEL80, WhisperFeatureExtractor.MEL128);
    private static final Map<String, List<AudioFeatures>> REFERENCES = new ConcurrentHashMap<>();
    private static final Map<Signal, float[]> SIGNALS = new ConcurrentHashMap<>();

    /** A test input: a 1 kHz sine at full scale, or the chirp with Gaussian noise of deviation {@code noise}. */
    enum Signal {
        TONE("1 kHz tone, 3 s"), CHIRP("chirp, 30 s, noise 0"), NOISY_CHIRP("chirp, 37.3 s, noise 0.01");

        private final String label;

        Signal(String label) {
            this.label = label;
        }

        float[] samples() {
            return switch (this) {
                case TONE -> tone(1000, 3);
                case CHIRP -> chirpPlusNoise(30, 7, 0);
                case NOISY_CHIRP -> chirpPlusNoise(37.3, 7, 0.01);
            };
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** sin(2π·frequency·t) at 16 kHz. */
    static float[] tone(double frequency, double seconds) {
        float[] x = new float[(int) Math.round(seconds * FeatureExtractor.SAMPLE_RATE)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * frequency * i / FeatureExtractor.SAMPLE_RATE);
        }
        return x;
    }

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
        return Stream.of("jvm", "opencl:pocl", "opencl:rusticl")
                .flatMap(d -> EXTRACTORS.stream().flatMap(e -> Stream.of(Signal.values())
                        .filter(s -> !d.endsWith("rusticl") || s != Signal.NOISY_CHIRP)
                        .map(s -> Arguments.of(d, e.name(), s))));
    }

    @ParameterizedTest(name = "{1} on {0}, {2}")
    @MethodSource("cases")
    void matchesThePlainJavaExtractor(String selector, String name, Signal signal) {
        Device device = available(selector);
        Assumptions.assumeTrue(device != null, "no device " + selector + " on this machine");
        FeatureExtractor extractor = extractor(name);
        try (TaskGraphFeatureExtractor graph = TaskGraphFeatureExtractor.on(extractor, device)) {
            assertThat(graph.spectrumInDouble()).as("double spectrum where the device has fp64")
                    .isEqualTo(Devices.select(selector).fp64());
            double worst = compare(graph, signal);
            System.out.printf("%s on %s (%s), %s: max abs error %.3g%n", name, selector,
                    graph.spectrumInDouble() ? "double" : "float", signal, worst);
            assertThat(worst).as("max abs error of " + name + " on " + selector)
                    .isLessThanOrEqualTo(graph.spectrumInDouble() ? TOLERANCE : floatPathBound(name));
        }
    }

    /** Max abs error of the graph's features against the plain extractor's, checking chunks, shapes and masks. */
    private static double compare(TaskGraphFeatureExtractor graph, Signal signal) {
        FeatureExtractor extractor = graph.extractor();
        float[] samples = SIGNALS.computeIfAbsent(signal, Signal::samples);
        List<AudioFeatures> want = REFERENCES.computeIfAbsent(extractor.name() + "/" + signal,
                k -> extractor.extract(samples));
        List<AudioFeatures> got = graph.extract(samples);
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
        return worst;
    }

    private static FeatureExtractor extractor(String name) {
        return EXTRACTORS.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void gemma4MasksAndZeroesTheFramesPastTheAudio() {
        float[] samples = chirpPlusNoise(0.5, 3, 0.01);
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
            assertThat(graph.describe()).contains("spectrum", "melLog");
        }
    }

    /**
     * The float path on the JVM, where the double one would be chosen: within 1e-3 of the reference
     * for every value within 87 dB of its frame's peak, within {@link #floatPathBound} below that.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("extractors")
    void floatPathIsExactNearThePeakOnly(String name) {
        FeatureExtractor extractor = extractor(name);
        float[] samples = SIGNALS.computeIfAbsent(Signal.TONE, Signal::samples);
        AudioFeatures want = REFERENCES.computeIfAbsent(name + "/" + Signal.TONE, k -> extractor.extract(samples))
                .getFirst();
        AudioFeatures got;
        try (TaskGraphFeatureExtractor graph = TaskGraphFeatureExtractor.inFloat(extractor, Device.jvm())) {
            assertThat(graph.spectrumInDouble()).isFalse();
            assertThat(graph.describe()).isEmpty();
            got = graph.extract(samples).getFirst();
            assertThat(graph.describe()).contains("frame", "spectrum", "melLog");
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
        System.out.printf("%s in float on jvm, tone: max abs error %.3g, within 87 dB of the frame peak %.3g%n", name,
                worst, worstNearPeak);
        assertThat(worstNearPeak).isLessThanOrEqualTo(TOLERANCE);
        assertThat(worst).isLessThanOrEqualTo(floatPathBound(name));
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
