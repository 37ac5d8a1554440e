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
 * support. Power-of-two FFT sizes use the radix-2 kernel, others (Whisper's 400) the direct one.
 *
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
    private final float preemphasis;
    private final int magnitude;
    private final float logOffset;
    private final float logFloor;
    private final float logScale;
    private final FloatArray window;
    private final FloatArray twiddleCos;
    private final FloatArray twiddleSin;
    private final FloatArray melWeights;
    private final IntArray firstBin;
    private final IntArray lastBin;

    private Spectrogram(int frameLength, int hop, int fftLength, double preemphasis, boolean magnitude,
                        MelFilterBank bank, double logOffset, double logFloor, double logScale) {
        this.frameLength = frameLength;
        this.hop = hop;
        this.fftLength = fftLength;
        this.bins = fftLength / 2 + 1;
        this.mels = bank.melBins();
        this.preemphasis = (float) preemphasis;
        this.magnitude = magnitude ? 1 : 0;
        this.logOffset = (float) logOffset;
        this.logFloor = (float) logFloor;
        this.logScale = (float) logScale;
        window = FloatArray.allocate(frameLength);
        double[] hann = FeatureExtractor.periodicHann(frameLength);
        for (int n = 0; n < frameLength; n++) {
            window.set(n, (float) hann[n]);
        }
        twiddleCos = FloatArray.allocate(fftLength);
        twiddleSin = FloatArray.allocate(fftLength);
        for (int j = 0; j < fftLength; j++) {
            double angle = 2 * Math.PI * j / fftLength;
            twiddleCos.set(j, (float) Math.cos(angle));
            twiddleSin.set(j, (float) Math.sin(angle));
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

    /** The stage of {@code extractor}: its window, FFT size, spectrum kind, mel filters and log rule. */
    static Spectrogram of(FeatureExtractor extractor) {
        return switch (extractor) {
            case Gemma3nFeatureExtractor g -> new Spectrogram(g.frameLength(), g.hop(), g.fftLength(), g.preemphasis(),
                    true, g.melFilterBank(), 0, g.melFloor(), 1);
            case Gemma4FeatureExtractor g -> new Spectrogram(g.frameLength(), g.hop(), g.fftLength(), 0, true,
                    g.melFilterBank(), g.logOffset(), 0, 1);
            // log10(max(power·mel, 1e-10)), as WhisperFeatureExtractor computes it
            case WhisperFeatureExtractor w -> new Spectrogram(w.fftLength(), w.hop(), w.fftLength(), 0, false,
                    w.melFilterBank(), 0, 1e-10, 1 / Math.log(10));
        };
    }

    /** Arrays uploaded once per plan. */
    TypedArray[] constants() {
        return new TypedArray[] {window, twiddleCos, twiddleSin, melWeights, firstBin, lastBin};
    }

    /** Samples of x that {@code count} frames cover. */
    long samplesFor(int count) {
        return (long) (count - 1) * hop + frameLength;
    }

    /**
     * Adds tasks {@code frame}, {@code spectrum} and {@code melLog}: {@code count} frames of x, of
     * which the first {@code valid} get log-mel values and the rest zeros.
     */
    void addTasks(TaskGraph graph, FloatArray x, FloatArray frames, FloatArray spectrum, FloatArray logMel,
                  int count, int valid) {
        graph.task("frame", Audio::frame, x, window, frames, count, frameLength, fftLength, hop, preemphasis);
        if (Integer.bitCount(fftLength) == 1 && fftLength >= 2) {
            graph.task("spectrum", Audio::fftSpectrum, frames, twiddleCos, twiddleSin, spectrum, count, fftLength,
                    magnitude);
        } else {
            graph.task("spectrum", Audio::dftSpectrum, frames, twiddleCos, twiddleSin, spectrum, count, fftLength,
                    magnitude);
        }
        graph.task("melLog", Audio::melLog, spectrum, melWeights, firstBin, lastBin, logMel, count, bins, mels, valid,
                logOffset, logFloor, logScale);
    }
}
