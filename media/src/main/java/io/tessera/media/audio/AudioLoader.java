package io.tessera.media.audio;

import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.MediaSource;
import io.tessera.media.MediaTooLargeException;

/**
 * Audio as models take it: 16 kHz mono float. WAV is read here; everything else (and the audio
 * track of a video) through FFmpeg. Channels are averaged, then {@link Resampler} converts the rate.
 */
public final class AudioLoader {
    public static final int MODEL_RATE = 16_000;

    /** Limits on what is decoded. */
    public record Limits(double maxSeconds, long maxBytes) {
        /** 30 minutes, files up to 1 GiB. */
        public static final Limits DEFAULT = new Limits(1800, 1L << 30);
    }

    private final Limits limits;

    public AudioLoader(Limits limits) {
        this.limits = limits;
    }

    public AudioLoader() {
        this(Limits.DEFAULT);
    }

    /** Decodes an audio file or a video's audio track at its own rate and channel count. */
    public DecodedAudio decode(MediaInput input) {
        if (input instanceof MediaInput.Image) {
            throw new MediaFormatException(input.name(), "is an image, not audio (" + input.mimeType() + ")");
        }
        MediaSource source = input.source();
        if (WavDecoder.isWav(source.head(12))) {
            DecodedAudio audio = WavDecoder.decode(source.name(), source.readAll(limits.maxBytes()));
            if (audio.seconds() > limits.maxSeconds()) {
                throw new MediaTooLargeException(source.name(), String.format(java.util.Locale.ROOT,
                        "audio is %.1f s, over the limit of %.1f s", audio.seconds(), limits.maxSeconds()));
            }
            return audio;
        }
        return FfmpegAudioDecoder.decode(source, limits.maxSeconds(), limits.maxBytes());
    }

    /** 16 kHz mono samples. */
    public float[] load16kMono(MediaInput input) {
        DecodedAudio audio = decode(input);
        return Resampler.resample(audio.mono(), audio.sampleRate(), MODEL_RATE);
    }
}
