package io.tessera.media.audio;

import io.tessera.media.Ffmpeg;
import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaSource;
import io.tessera.media.MediaTooLargeException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Decodes the first audio stream of any container FFmpeg reads (FLAC, MP3, Ogg, Opus, AAC/M4A, video files). */
public final class FfmpegAudioDecoder {
    private FfmpegAudioDecoder() {}

    /** Interleaved float samples at the stream's rate; refuses more than {@code maxSeconds} of audio. */
    public static DecodedAudio decode(MediaSource source, double maxSeconds, long maxBytes) {
        FFmpegFrameGrabber grabber = Ffmpeg.open(source, maxBytes, g -> {
            g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            g.setVideoStream(-1);
        });
        try {
            if (!grabber.hasAudio() || grabber.getAudioChannels() <= 0) {
                throw new MediaFormatException(source.name(), "no audio stream");
            }
            int rate = grabber.getSampleRate();
            int channels = grabber.getAudioChannels();
            if (rate <= 0) {
                throw new MediaFormatException(source.name(), "audio stream has no sample rate");
            }
            long limit = (long) Math.ceil(maxSeconds * rate) * channels;
            float[] out = new float[Math.max(channels, (int) Math.min(limit, 1L << 20))];
            int n = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples == null) {
                    continue;
                }
                int frameChannels = frame.audioChannels > 0 ? frame.audioChannels : channels;
                if (frameChannels != channels) {
                    throw new MediaFormatException(source.name(), "channel count changes mid-stream (" + channels + " -> " + frameChannels + ")");
                }
                int count = countSamples(frame.samples);
                if (n + (long) count > limit) {
                    throw new MediaTooLargeException(source.name(), "audio is longer than the limit of " + maxSeconds + " s");
                }
                if (n + count > out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(limit, Math.max((long) out.length * 2, n + (long) count)));
                }
                n += copyInterleaved(frame.samples, out, n, channels);
            }
            if (n == 0) {
                throw new MediaFormatException(source.name(), "audio stream decodes to no samples");
            }
            n -= n % channels;
            return new DecodedAudio(rate, channels, Arrays.copyOf(out, n));
        } catch (MediaFormatException e) {
            throw e;
        } catch (Exception e) {
            throw new MediaFormatException(source.name(), "cannot decode audio: " + Ffmpeg.message(e), e);
        } finally {
            Ffmpeg.closeQuietly(grabber);
        }
    }

    private static int countSamples(Buffer[] planes) {
        int count = 0;
        for (Buffer b : planes) {
            count += b.remaining();
        }
        return count;
    }

    /** Copies packed (one buffer) or planar (one buffer per channel) float samples as interleaved. */
    private static int copyInterleaved(Buffer[] planes, float[] out, int at, int channels) {
        if (!(planes[0] instanceof FloatBuffer)) {
            throw new IllegalStateException("FFmpeg returned " + planes[0].getClass().getSimpleName() + " samples, expected float");
        }
        if (planes.length == 1) {
            FloatBuffer b = ((FloatBuffer) planes[0]).duplicate();
            int count = b.remaining();
            b.get(out, at, count);
            return count;
        }
        int perChannel = planes[0].remaining();
        for (int c = 0; c < planes.length; c++) {
            FloatBuffer b = ((FloatBuffer) planes[c]).duplicate();
            for (int i = 0; i < perChannel; i++) {
                out[at + i * channels + c] = b.get();
            }
        }
        return perChannel * planes.length;
    }
}
