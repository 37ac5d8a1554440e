package io.tessera.media.audio;

import io.tessera.media.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 4 log-mel features (HF {@code feature_extraction_gemma4}, MODELS.md §4.2): 160 zeros of
 * semicausal left padding, windows of 321 samples every 160 of which the first 320 are used;
 * periodic Hann(320); rfft 512; magnitude; HTK mel 0–8000 Hz without normalisation;
 * {@code ln(mel + 0.001)}. Each 30 s chunk is zero-padded to a multiple of 128 samples; a frame is
 * valid only if the last sample of its 321-sample window is real audio, and invalid frames are
 * zeroed. The valid count equals the processor's {@code floor((L+160−321)/160)+1}. Output
 * {@code [frames, 128]}.
 */
public record Gemma4FeatureExtractor(int melBins, int frameLength, int hop, int fftLength, int leftPad,
                                     double minFrequency, double maxFrequency, double logOffset,
                                     int chunkSamples, int padMultiple) implements FeatureExtractor {
    public static final Gemma4FeatureExtractor DEFAULT =
            new Gemma4FeatureExtractor(128, 320, 160, 512, 160, 0.0, 8000.0, 0.001, 480_000, 128);

    @Override
    public String name() {
        return "gemma4";
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
        int unfold = frameLength + 1;
        List<AudioFeatures> out = new ArrayList<>();
        int chunks = FeatureExtractor.chunkCount(samples.length, chunkSamples);
        for (int c = 0; c < chunks; c++) {
            float[] real = FeatureExtractor.chunk(samples, c, chunkSamples);
            int padded = Math.max(Gemma3nFeatureExtractor.roundUp(real.length, padMultiple), unfold);
            // x[i] is sample i - leftPad of the chunk.
            float[] x = new float[leftPad + padded];
            System.arraycopy(real, 0, x, leftPad, real.length);
            int frames = (leftPad + padded - unfold) / hop + 1;
            float[] features = new float[frames * melBins];
            boolean[] mask = new boolean[frames];
            double[] frame = new double[fftLength];
            double[] re = new double[fftLength / 2 + 1];
            double[] im = new double[fftLength / 2 + 1];
            double[] magnitude = new double[fftLength / 2 + 1];
            double[] mel = new double[melBins];
            for (int t = 0; t < frames; t++) {
                int base = t * hop;
                mask[t] = base + unfold - 1 - leftPad < real.length;
                if (!mask[t]) {
                    continue;
                }
                for (int n = 0; n < frameLength; n++) {
                    frame[n] = x[base + n] * window[n];
                }
                fft.realForward(frame, frameLength, re, im);
                for (int k = 0; k < magnitude.length; k++) {
                    magnitude[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
                }
                bank.apply(magnitude, mel);
                for (int m = 0; m < melBins; m++) {
                    features[t * melBins + m] = (float) Math.log(mel[m] + logOffset);
                }
            }
            out.add(new AudioFeatures(new FloatTensor(new int[] {frames, melBins}, features), mask,
                    (double) c * chunkSamples / SAMPLE_RATE));
        }
        return out;
    }

    /** Audio tokens for {@code samples} (one chunk), as the processor counts them. */
    public static int tokenCount(int samples) {
        int t = Math.floorDiv(samples + 160 - 321, 160) + 1;
        t = Math.floorDiv(t + 2 - 3, 2) + 1;
        t = Math.floorDiv(t + 2 - 3, 2) + 1;
        return Math.max(0, Math.min(t, 750));
    }
}
