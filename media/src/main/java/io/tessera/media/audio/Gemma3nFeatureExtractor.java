package io.tessera.media.audio;

import io.tessera.media.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 3n log-mel features (HF {@code Gemma3nAudioFeatureExtractor}, MODELS.md §4.1): 513-sample
 * windows every 160 samples with no centring; HTK pre-emphasis inside each window
 * ({@code y[0] = x[0]·(1−p)}, {@code y[n] = x[n] − p·x[n−1]}, 512 samples); periodic Hann(512);
 * rfft 1024; magnitude; HTK mel 125–7600 Hz without normalisation; {@code ln(max(mel, 1e-5))}.
 * Each 30 s chunk is zero-padded to a multiple of 128 samples; the mask takes every 160th sample's
 * validity. Output {@code [frames, 128]}.
 */
public record Gemma3nFeatureExtractor(int melBins, int frameLength, int hop, int fftLength, double preemphasis,
                                      double minFrequency, double maxFrequency, double melFloor,
                                      int chunkSamples, int padMultiple) implements FeatureExtractor {
    public static final Gemma3nFeatureExtractor DEFAULT =
            new Gemma3nFeatureExtractor(128, 512, 160, 1024, 0.97, 125.0, 7600.0, 1e-5, 480_000, 128);

    @Override
    public String name() {
        return "gemma3n";
    }

    /** The mel filters over the {@code fftLength/2 + 1} magnitude bins: HTK scale, not normalised. */
    public MelFilterBank melFilterBank() {
        return new MelFilterBank(fftLength / 2 + 1, SAMPLE_RATE, minFrequency, maxFrequency, melBins,
                MelFilterBank.Scale.HTK, false);
    }

    @Override
    public List<AudioFeatures> extract(float[] samples) {
        MelFilterBank bank = melFilterBank();
        double[] window = FeatureExtractor.periodicHann(frameLength);
        Fft fft = new Fft(fftLength);
        List<AudioFeatures> out = new ArrayList<>();
        int chunks = FeatureExtractor.chunkCount(samples.length, chunkSamples);
        for (int c = 0; c < chunks; c++) {
            float[] real = FeatureExtractor.chunk(samples, c, chunkSamples);
            int padded = Math.max(roundUp(real.length, padMultiple), roundUp(frameLength + 1, padMultiple));
            float[] x = java.util.Arrays.copyOf(real, padded);
            int frames = (padded - (frameLength + 1)) / hop + 1;
            float[] features = new float[frames * melBins];
            boolean[] mask = new boolean[frames];
            double[] frame = new double[fftLength];
            double[] re = new double[fftLength / 2 + 1];
            double[] im = new double[fftLength / 2 + 1];
            double[] magnitude = new double[fftLength / 2 + 1];
            double[] mel = new double[melBins];
            for (int t = 0; t < frames; t++) {
                int base = t * hop;
                frame[0] = x[base] * (1 - preemphasis) * window[0];
                for (int n = 1; n < frameLength; n++) {
                    frame[n] = (x[base + n] - preemphasis * x[base + n - 1]) * window[n];
                }
                fft.realForward(frame, frameLength, re, im);
                for (int k = 0; k < magnitude.length; k++) {
                    magnitude[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
                }
                bank.apply(magnitude, mel);
                for (int m = 0; m < melBins; m++) {
                    features[t * melBins + m] = (float) Math.log(Math.max(mel[m], melFloor));
                }
                mask[t] = base < real.length;
            }
            out.add(new AudioFeatures(new FloatTensor(new int[] {frames, melBins}, features), mask,
                    (double) c * chunkSamples / SAMPLE_RATE));
        }
        return out;
    }

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
