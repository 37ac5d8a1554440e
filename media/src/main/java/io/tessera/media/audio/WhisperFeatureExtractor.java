package io.tessera.media.audio;

import io.tessera.media.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Whisper log-mel features (OpenAI Whisper, llama.cpp {@code mtmd_audio_preprocessor_whisper},
 * MODELS.md §4.3): the input is zero-padded to whole 30 s chunks and reflect-padded by 200 samples
 * at both ends; periodic Hann(400) every 160 samples; 400-point FFT; power; Slaney mel 0–8000 Hz
 * with Slaney area normalisation; {@code log10(max(x, 1e-10))}; clamped to (global max − 8);
 * {@code (x + 4) / 4}. Output one {@code [melBins, 3000]} tensor per chunk.
 */
public record WhisperFeatureExtractor(int melBins, int fftLength, int hop, int chunkSamples) implements FeatureExtractor {
    public static final WhisperFeatureExtractor MEL80 = new WhisperFeatureExtractor(80, 400, 160, 480_000);
    public static final WhisperFeatureExtractor MEL128 = new WhisperFeatureExtractor(128, 400, 160, 480_000);

    @Override
    public String name() {
        return "whisper" + melBins;
    }

    /** The mel filters over the {@code fftLength/2 + 1} power bins: Slaney scale 0–8000 Hz, area-normalised. */
    public MelFilterBank melFilterBank() {
        return new MelFilterBank(fftLength / 2 + 1, SAMPLE_RATE, 0.0, 8000.0, melBins, MelFilterBank.Scale.SLANEY, true);
    }

    @Override
    public List<AudioFeatures> extract(float[] samples) {
        MelFilterBank bank = melFilterBank();
        double[] window = FeatureExtractor.periodicHann(fftLength);
        Fft fft = new Fft(fftLength);
        int chunks = FeatureExtractor.chunkCount(samples.length, chunkSamples);
        int total = chunks * chunkSamples;
        int pad = fftLength / 2;
        // Reflect padding (numpy "reflect": the edge sample is not repeated) of the zero-padded input.
        float[] x = new float[pad + total + pad];
        System.arraycopy(samples, 0, x, pad, samples.length);
        for (int i = 0; i < pad; i++) {
            x[i] = x[2 * pad - i];
            x[pad + total + i] = x[pad + total - 2 - i];
        }
        int frames = total / hop;
        int framesPerChunk = chunkSamples / hop;
        double[] logMel = new double[frames * melBins];
        double[] frame = new double[fftLength];
        double[] re = new double[fftLength / 2 + 1];
        double[] im = new double[fftLength / 2 + 1];
        double[] power = new double[fftLength / 2 + 1];
        double[] mel = new double[melBins];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < frames; t++) {
            int base = t * hop;
            for (int n = 0; n < fftLength; n++) {
                frame[n] = x[base + n] * window[n];
            }
            fft.realForward(frame, fftLength, re, im);
            for (int k = 0; k < power.length; k++) {
                power[k] = re[k] * re[k] + im[k] * im[k];
            }
            bank.apply(power, mel);
            for (int m = 0; m < melBins; m++) {
                double v = Math.log10(Math.max(mel[m], 1e-10));
                logMel[t * melBins + m] = v;
                max = Math.max(max, v);
            }
        }
        double floor = max - 8.0;
        List<AudioFeatures> out = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            float[] features = new float[melBins * framesPerChunk];
            for (int t = 0; t < framesPerChunk; t++) {
                int src = (c * framesPerChunk + t) * melBins;
                for (int m = 0; m < melBins; m++) {
                    features[m * framesPerChunk + t] = (float) ((Math.max(logMel[src + m], floor) + 4.0) / 4.0);
                }
            }
            out.add(new AudioFeatures(new FloatTensor(new int[] {melBins, framesPerChunk}, features), null,
                    (double) c * chunkSamples / SAMPLE_RATE));
        }
        return out;
    }
}
