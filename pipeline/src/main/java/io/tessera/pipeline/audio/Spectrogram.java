package io.tessera.pipeline.audio;

import io.tessera.media.audio.FeatureExtractor;
import io.tessera.media.audio.Gemma3nFeatureExtractor;
import io.tessera.media.audio.Gemma4FeatureExtractor;
import io.tessera.media.audio.MelFilterBank;
import io.tessera.media.audio.WhisperFeatureExtractor;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.kernels.Audio;

/**
 * The framing, spectrum and log-mel stage shared by every extractor, with its constant inputs as
 * typed arrays: window, twiddle tables, the mel matrix {@code [mels][bins]} and each filter's
 * support. Power-of-two FFT sizes use the radix-2 kernels, others (Whisper's 400) the direct ones.
 *
 * <p>In double ({@code f64}, for devices with fp64) one fused kernel frames and transforms; window
 * and twiddles are (hi, lo) float pairs, as {@link Audio} describes:
 * <pre>
 *   x ──frameFftSpectrumF64 | frameDftSpectrumF64──► spectrum [count][bins] ──melLog──► logMel [count][mels]
 *        ▲ window, twiddlePairs                                                ▲ melWeights, firstBin, lastBin
 * </pre>
 * In float (devices without fp64):
 * <pre>
 *   x ──frame──► frames [count][fftLength] ──spectrum──► spectrum [count][bins] ──melLog──► logMel [count][mels]
 *        ▲ window                              ▲ twiddleCos, twiddleSin           ▲ melWeights, firstBin, lastBin
 * </pre>
 */
final class Spectrogram {
    final int frameLength;
    final int hop;
    final int fftLength;
    final int bins;
    final int mels;
    /** True when the spectrum is computed in double. */
    final boolean f64;
    private final double preemphasis;
    private final int magnitude;
    private final float logOffset;
    private final float logFloor;
    private final float logScale;
    /** Float: window[n]; f64: (hi, lo) pairs. */
    private final FloatArray window;
    /** f64 only: (cos hi, cos lo, sin hi, sin lo) of 2πj/fftLength for each j. */
    private final FloatArray twiddlePairs;
    /** Float only. */
    private final FloatArray twiddleCos;
    private final FloatArray twiddleSin;
    private final FloatArray melWeights;
    private final IntArray firstBin;
    private final IntArray lastBin;

    private Spectrogram(int frameLength, int hop, int fftLength, double preemphasis, boolean magnitude,
                        MelFilterBank bank, double logOffset, double logFloor, double logScale, boolean f64) {
        this.frameLength = frameLength;
        this.hop = hop;
        this.fftLength = fftLength;
        this.bins = fftLength / 2 + 1;
        this.mels = bank.melBins();
        this.f64 = f64;
        this.preemphasis = preemphasis;
        this.magnitude = magnitude ? 1 : 0;
        this.logOffset = (float) logOffset;
        this.logFloor = (float) logFloor;
        this.logScale = (float) logScale;
        double[] hann = FeatureExtractor.periodicHann(frameLength);
        double[] cos = new double[fftLength];
        double[] sin = new double[fftLength];
        for (int j = 0; j < fftLength; j++) {
            double angle = 2 * Math.PI * j / fftLength;
            cos[j] = Math.cos(angle);
            sin[j] = Math.sin(angle);
        }
        if (f64) {
            window = FloatArray.allocate(2L * frameLength);
            for (int n = 0; n < frameLength; n++) {
                setPair(window, 2L * n, hann[n]);
            }
            twiddlePairs = FloatArray.allocate(4L * fftLength);
            for (int j = 0; j < fftLength; j++) {
                setPair(twiddlePairs, 4L * j, cos[j]);
                setPair(twiddlePairs, 4L * j + 2, sin[j]);
            }
            twiddleCos = null;
            twiddleSin = null;
        } else {
            window = FloatArray.allocate(frameLength);
            for (int n = 0; n < frameLength; n++) {
                window.set(n, (float) hann[n]);
            }
            twiddlePairs = null;
            twiddleCos = FloatArray.allocate(fftLength);
            twiddleSin = FloatArray.allocate(fftLength);
            for (int j = 0; j < fftLength; j++) {
                twiddleCos.set(j, (float) cos[j]);
                twiddleSin.set(j, (float) sin[j]);
            }
        }
        melWeights = FloatArray.allocate((long) mels * bins);
        firstBin = IntArray.allocate(mels);
        lastBin = IntArray.allocate(mels);
        for (int m = 0; m < mels; m++) {
            int first = bins;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double w = bank.weight(m, k);
                melWeights.set((long) m * bins + k, (float) w);
                if (w != 0) {
                    first = Math.min(first, k);
                    last = k;
                }
            }
            firstBin.set(m, first);
            lastBin.set(m, last);
        }
    }

    /** v as the (hi, lo) float pair at {@code at}. */
    private static void setPair(FloatArray pairs, long at, double v) {
        float hi = (float) v;
        pairs.set(at, hi);
        pairs.set(at + 1, (float) (v - hi));
    }

    /**
     * The stage of {@code extractor}: its window, FFT size, spectrum kind, mel filters and log rule;
     * the spectrum in double when {@code f64}, else in float.
     */
    static Spectrogram of(FeatureExtractor extractor, boolean f64) {
        return switch (extractor) {
            case Gemma3nFeatureExtractor g -> new Spectrogram(g.frameLength(), g.hop(), g.fftLength(), g.preemphasis(),
                    true, g.melFilterBank(), 0, g.melFloor(), 1, f64);
            case Gemma4FeatureExtractor g -> new Spectrogram(g.frameLength(), g.hop(), g.fftLength(), 0, true,
                    g.melFilterBank(), g.logOffset(), 0, 1, f64);
            // log10(max(power·mel, 1e-10)), as WhisperFeatureExtractor computes it
            case WhisperFeatureExtractor w -> new Spectrogram(w.fftLength(), w.hop(), w.fftLength(), 0, false,
                    w.melFilterBank(), 0, 1e-10, 1 / Math.log(10), f64);
        };
    }

    /**
     * Gemma 4's stage with llama.cpp mtmd's log rule {@code ln(max(mel, floor))} in place of the
     * extractor's {@code ln(mel + offset)} (mtmd-audio.cpp, gemma4a preprocessor: mel_floor 0.001).
     */
    static Spectrogram gemma4Floored(Gemma4FeatureExtractor g, double floor, boolean f64) {
        return new Spectrogram(g.frameLength(), g.hop(), g.fftLength(), 0, true, g.melFilterBank(), 0, floor, 1, f64);
    }

    /** Arrays uploaded once per plan. */
    TypedArray[] constants() {
        return f64 ? new TypedArray[] {window, twiddlePairs, melWeights, firstBin, lastBin}
                : new TypedArray[] {window, twiddleCos, twiddleSin, melWeights, firstBin, lastBin};
    }

    /** Samples of x that {@code count} frames cover. */
    long samplesFor(int count) {
        return (long) (count - 1) * hop + frameLength;
    }

    /**
     * Adds the tasks from x to logMel ({@code spectrum} and {@code melLog}, with {@code frame} before
     * them in float): {@code count} frames of x, of which the first {@code valid} get log-mel values
     * and the rest zeros.
     */
    void addTasks(TaskGraph graph, FloatArray x, FloatArray logMel, int count, int valid) {
        FloatArray spectrum = FloatArray.allocate((long) count * bins);
        boolean radix2 = Integer.bitCount(fftLength) == 1 && fftLength >= 2;
        if (f64) {
            if (radix2 && fftLength <= Audio.MAX_FFT_F64) {
                graph.task("spectrum", Audio::frameFftSpectrumF64, x, window, twiddlePairs, spectrum, count, frameLength,
                        fftLength, hop, preemphasis, magnitude);
            } else {
                graph.task("spectrum", Audio::frameDftSpectrumF64, x, window, twiddlePairs, spectrum, count, frameLength,
                        fftLength, hop, preemphasis, magnitude);
            }
        } else {
            FloatArray frames = FloatArray.allocate((long) count * fftLength);
            graph.task("frame", Audio::frame, x, window, frames, count, frameLength, fftLength, hop, (float) preemphasis);
            if (radix2) {
                graph.task("spectrum", Audio::fftSpectrum, frames, twiddleCos, twiddleSin, spectrum, count, fftLength,
                        magnitude);
            } else {
                graph.task("spectrum", Audio::dftSpectrum, frames, twiddleCos, twiddleSin, spectrum, count, fftLength,
                        magnitude);
            }
        }
        graph.task("melLog", Audio::melLog, spectrum, melWeights, firstBin, lastBin, logMel, count, bins, mels, valid,
                logOffset, logFloor, logScale);
    }
}
