package io.tessera.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.media.audio.AudioFeatures;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.audio.DecodedAudio;
import io.tessera.media.audio.FeatureExtractor;
import io.tessera.media.audio.Gemma3nFeatureExtractor;
import io.tessera.media.audio.Gemma4FeatureExtractor;
import io.tessera.media.audio.Resampler;
import io.tessera.media.audio.WavDecoder;
import io.tessera.media.audio.WhisperFeatureExtractor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WAV and FFmpeg decoding, resampling against SoX, and log-mel features against NumPy. */
class AudioTest {
    static DecodedAudio decode(String name) {
        return new AudioLoader().decode(MediaInput.of(Fixtures.file(name)));
    }

    /** 10·log10(Σref² / Σ(ref−x)²) over [from, to). */
    static double snr(float[] x, double[] ref, int from, int to) {
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            signal += ref[i] * ref[i];
            noise += (ref[i] - x[i]) * (ref[i] - x[i]);
        }
        return 10 * Math.log10(signal / noise);
    }

    static double[] idealTone(int n, double amplitude) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = amplitude * Math.sin(2 * Math.PI * 1000 * i / 16000.0);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 22050, 44100, 48000})
    void resampledToneMatchesSoxAbove60dB(int rate) {
        DecodedAudio wav = decode("tone_" + rate + ".wav");
        assertThat(wav.sampleRate()).isEqualTo(rate);
        assertThat(wav.channels()).isEqualTo(2);
        float[] ours = Resampler.resample(wav.mono(), rate, 16_000);
        DecodedAudio sox = decode("tone_" + rate + ".sox16k.wav");
        assertThat(sox.sampleRate()).isEqualTo(16_000);
        float[] ref = sox.mono();
        double[] refD = new double[ref.length];
        for (int i = 0; i < ref.length; i++) {
            refD[i] = ref[i];
        }
        int n = Math.min(ours.length, ref.length);
        assertThat(Math.abs(ours.length - ref.length)).isLessThanOrEqualTo(1);
        // Skip the filters' edge transients (0.1 s at each end).
        double vsSox = snr(ours, refD, 1600, n - 1600);
        // Mono = (L + 0.6 L)/2 = 0.8 × 0.5 sine.
        double vsIdeal = snr(ours, idealTone(n, 0.4), 1600, n - 1600);
        System.out.printf("resample %d -> 16000: SNR vs sox %.1f dB, vs ideal tone %.1f dB%n", rate, vsSox, vsIdeal);
        assertThat(vsSox).isGreaterThanOrEqualTo(60);
        assertThat(vsIdeal).isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tone_44100_8.wav", "tone_44100_24.wav", "tone_44100_32.wav", "tone_44100_32f.wav", "tone_44100_64f.wav"})
    void everyWavSampleFormatDecodesToTheTone(String name) {
        DecodedAudio audio = decode(name);
        assertThat(audio.sampleRate()).isEqualTo(44100);
        assertThat(audio.frames()).isEqualTo(22050);
        double maxErr = 0;
        for (int i = 0; i < audio.frames(); i++) {
            double expected = 0.5 * Math.sin(2 * Math.PI * 1000 * i / 44100.0);
            maxErr = Math.max(maxErr, Math.abs(audio.samples()[2 * i] - expected));
        }
        double quantum = name.contains("_8.") ? 1.0 / 127 : 1e-4;
        assertThat(maxErr).as(name).isLessThanOrEqualTo(quantum);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flac", "mp3", "ogg", "opus", "m4a"})
    void ffmpegFormatsDecodeToThe1kHzTone(String ext) {
        MediaInput input = MediaInput.of(Fixtures.file("tone_44100." + ext));
        assertThat(input).isInstanceOf(MediaInput.Audio.class);
        float[] x = new AudioLoader().load16kMono(input);
        assertThat(x.length / 16000.0).isBetween(1.9, 2.2);
        // Energy at 1 kHz against total energy, over the middle second (codec delay shifts phase).
        double at1k = 0;
        double total = 0;
        double re = 0;
        double im = 0;
        for (int i = 8000; i < 24000; i++) {
            re += x[i] * Math.cos(2 * Math.PI * 1000 * i / 16000.0);
            im += x[i] * Math.sin(2 * Math.PI * 1000 * i / 16000.0);
            total += x[i] * x[i];
        }
        at1k = 2 * (re * re + im * im) / 16000;
        double amplitude = Math.sqrt(2 * total / 16000);
        assertThat(at1k / total).as(ext).isGreaterThan(0.99);
        assertThat(amplitude).as(ext).isBetween(0.36, 0.44);
        if (ext.equals("flac")) {
            // Lossless: the resampled tone is as clean as the WAV's.
            float[] wav = Resampler.resample(decode("tone_44100.wav").mono(), 44100, 16000);
            double noise = 0;
            for (int i = 1600; i < wav.length - 1600; i++) {
                noise += (wav[i] - x[i]) * (wav[i] - x[i]);
            }
            assertThat(noise).isLessThan(1e-9);
        }
    }

    @Test
    void lyingWavHeaderIsClampedToTheDataPresent() throws Exception {
        byte[] wav = Files.readAllBytes(Fixtures.file("tone_8000.wav"));
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40, 0x7FFFFFF0);
        b.putInt(4, 0xFFFFFFFF);
        DecodedAudio audio = WavDecoder.decode("lying.wav", wav);
        assertThat(audio.frames()).isEqualTo(16000);
        byte[] truncated = java.util.Arrays.copyOf(wav, 44 + 1001);
        assertThat(WavDecoder.decode("cut.wav", truncated).frames()).isEqualTo(250);
        byte[] inconsistent = wav.clone();
        ByteBuffer.wrap(inconsistent).order(ByteOrder.LITTLE_ENDIAN).putShort(32, (short) 3);
        assertThatThrownBy(() -> WavDecoder.decode("bad.wav", inconsistent)).isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("bad.wav").hasMessageContaining("block align 3");
        assertThatThrownBy(() -> WavDecoder.decode("short.wav", java.util.Arrays.copyOf(wav, 30)))
                .isInstanceOf(MediaFormatException.class).hasMessageContaining("fmt chunk");
        assertThatThrownBy(() -> WavDecoder.decode("empty.wav", java.util.Arrays.copyOf(wav, 44)))
                .isInstanceOf(MediaFormatException.class).hasMessageContaining("no audio samples");
    }

    static float[] melInput(String name) {
        Fixtures.Npy x = Fixtures.npy("mel_" + name + ".input.npy");
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) x.data()[i];
        }
        return out;
    }

    static double compare(String label, AudioFeatures ours, String reference, String maskReference) {
        Fixtures.Npy ref = Fixtures.npy(reference);
        assertThat(ours.features().shape()).as(label).containsExactly(ref.shape());
        double max = 0;
        for (int i = 0; i < ref.size(); i++) {
            max = Math.max(max, Math.abs(ours.features().data()[i] - ref.data()[i]));
        }
        if (maskReference != null) {
            Fixtures.Npy mask = Fixtures.npy(maskReference);
            assertThat(ours.mask()).hasSize(mask.size());
            for (int i = 0; i < mask.size(); i++) {
                assertThat(ours.mask()[i]).as(label + " mask " + i).isEqualTo(mask.data()[i] != 0);
            }
        }
        System.out.printf("mel %s: max abs error %.3g%n", label, max);
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {"speechlike", "long"})
    void logMelFeaturesMatchNumPyWithin1e3(String name) {
        float[] x = melInput(name);
        List<FeatureExtractor> extractors = List.of(Gemma3nFeatureExtractor.DEFAULT, Gemma4FeatureExtractor.DEFAULT,
                WhisperFeatureExtractor.MEL80, WhisperFeatureExtractor.MEL128);
        for (FeatureExtractor e : extractors) {
            List<AudioFeatures> chunks = e.extract(x);
            int expectedChunks = name.equals("long") ? 2 : 1;
            assertThat(chunks).as(e.name()).hasSize(expectedChunks);
            for (int c = 0; c < chunks.size(); c++) {
                String base = "mel_" + name + "." + e.name() + "." + c;
                boolean masked = !(e instanceof WhisperFeatureExtractor);
                double max = compare(name + " " + e.name() + " chunk " + c, chunks.get(c), base + ".npy", masked ? base + ".mask.npy" : null);
                assertThat(max).isLessThanOrEqualTo(1e-3);
            }
        }
    }

    @Test
    void gemma4ValidFramesEqualTheProcessorCount() {
        for (int samples : new int[] {16000, 16001, 48000 + 77, 480_000}) {
            AudioFeatures f = Gemma4FeatureExtractor.DEFAULT.extract(new float[samples]).getFirst();
            int valid = 0;
            for (boolean b : f.mask()) {
                valid += b ? 1 : 0;
            }
            assertThat(valid).isEqualTo((samples + 160 - 321) / 160 + 1);
        }
        assertThat(Gemma4FeatureExtractor.tokenCount(480_000)).isEqualTo(750);
        // Gemma 3n: 30 s gives 2998 frames over the padded length (MODELS.md counts 2997 unpadded).
        assertThat(Gemma3nFeatureExtractor.DEFAULT.extract(new float[480_000]).getFirst().features().dim(0)).isEqualTo(2997);
    }
}
