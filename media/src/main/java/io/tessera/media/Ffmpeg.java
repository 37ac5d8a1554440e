package io.tessera.media;

import java.io.ByteArrayInputStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Opening FFmpeg grabbers safely: natives loaded once with FFmpeg's own logging silenced (its
 * messages reach us as exceptions), inputs checked before any byte reaches native code, every
 * failure turned into a {@link MediaFormatException} naming the input.
 */
public final class Ffmpeg {
    /** Smallest input worth handing to FFmpeg; anything shorter cannot hold a container header. */
    private static final int MIN_BYTES = 16;
    private static volatile boolean initialised;

    private Ffmpeg() {}

    private static void initialise() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    try {
                        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
                    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                        throw new IllegalStateException("FFmpeg natives (org.bytedeco:ffmpeg linux-x86_64) cannot be loaded: " + e, e);
                    }
                    initialised = true;
                }
            }
        }
    }

    /** A started grabber for {@code source}; the caller closes it. {@code configure} runs before start. */
    public static FFmpegFrameGrabber open(MediaSource source, long maxBytes, java.util.function.Consumer<FFmpegFrameGrabber> configure) {
        initialise();
        long size = source.size();
        if (size == 0) {
            throw new MediaFormatException(source.name(), "empty file (0 bytes)");
        }
        if (size < MIN_BYTES) {
            throw new MediaFormatException(source.name(), "file is too short to be audio or video (" + size + " bytes)");
        }
        FFmpegFrameGrabber grabber;
        if (source.path() != null) {
            grabber = new FFmpegFrameGrabber(source.path().toFile());
        } else {
            byte[] bytes = source.readAll(maxBytes);
            grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(bytes), bytes.length + 1);
        }
        try {
            configure.accept(grabber);
            grabber.start();
            return grabber;
        } catch (Exception | LinkageError e) {
            closeQuietly(grabber);
            if (e instanceof LinkageError) {
                throw new IllegalStateException("FFmpeg natives cannot be loaded: " + e, e);
            }
            throw new MediaFormatException(source.name(), "FFmpeg cannot open it: " + message(e), e);
        }
    }

    public static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // Closing after a failure; the first error is the one reported.
        }
    }

    public static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }
}
