package io.tessera.pipeline.audio;

import io.tessera.media.audio.Gemma4FeatureExtractor;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.runtime.device.Devices;

/**
 * The log-mel features the Gemma 4 audio conformer is fed, as llama.cpp mtmd computes them
 * ({@code mtmd-audio.cpp}, {@code mtmd_audio_preprocessor_gemma4a}), as tasks for the encoder's
 * own graph. Window, FFT and mel filters are those of {@link Gemma4FeatureExtractor#DEFAULT}; two
 * things differ from the HF extractor that class follows, and mtmd is the reference here:
 * <ul>
 *   <li>the log is {@code ln(max(mel, 0.001))}, not {@code ln(mel + 0.001)};</li>
 *   <li>only the valid frames are made, {@code (L + 160 − 321) / 160 + 1} of a chunk of L samples
 *       (truncating division, as in C), with no padding to a multiple of 128 and no masked frames.</li>
 * </ul>
 * Chunks are 30 s. x is the chunk after 160 zeros of semicausal padding and before zeros up to
 * {@link #samples(int)}.
 */
public final class Gemma4EncoderFeatures {
    /** mtmd's {@code mel_floor} for gemma4a. */
    public static final double MEL_FLOOR = 0.001;

    private final Gemma4FeatureExtractor extractor = Gemma4FeatureExtractor.DEFAULT;
    private final Spectrogram spectrogram;

    private Gemma4EncoderFeatures(boolean f64) {
        this.spectrogram = Spectrogram.gemma4Floored(extractor, MEL_FLOOR, f64);
    }

    /** The features for {@code device}: spectrum in double where it has fp64, as {@link TaskGraphFeatureExtractor}. */
    public static Gemma4EncoderFeatures on(Device device) {
        return new Gemma4EncoderFeatures(Devices.select(device.selector()).fp64());
    }

    public int melBins() {
        return extractor.melBins();
    }

    /** Samples of one chunk (30 s). */
    public int chunkSamples() {
        return extractor.chunkSamples();
    }

    /** Left padding before the chunk's first sample (160). */
    public int leftPad() {
        return extractor.leftPad();
    }

    /** Frames of a chunk of {@code samples} samples; 0 when it is too short for one. */
    public int frames(long samples) {
        long n = (samples + extractor.leftPad() - (extractor.frameLength() + 1)) / extractor.hop() + 1;
        return (int) Math.max(0, n);
    }

    /** Length of x for {@code frames} frames. */
    public long samples(int frames) {
        return spectrogram.samplesFor(frames);
    }

    /** Arrays the tasks read that are uploaded once. */
    public TypedArray[] constants() {
        return spectrogram.constants();
    }

    /** Adds the tasks x ({@link #samples}) → logMel {@code [frames][melBins]}. */
    public void addTasks(TaskGraph graph, FloatArray x, FloatArray logMel, int frames) {
        spectrogram.addTasks(graph, x, logMel, frames, frames);
    }
}
