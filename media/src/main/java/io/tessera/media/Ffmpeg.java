package io.tessera.media;

import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Opening FFmpeg grabbers safely: natives loaded once with FFmpeg's own logging kept off stderr,
 * inputs checked before any byte reaches native code, every failure turned into a
 * {@link MediaFormatException} naming the input.
 *
 * <p>Decoding errors inside a stream (a corrupt frame) do not surface as exceptions: JavaCV drops
 * the frame and goes on, as FFmpeg's own tools do. FFmpeg reports them only through its log, so
 * its error-level messages are counted here ({@link #decodeErrors()}) for callers to warn about.
 */
public final class Ffmpeg {
    /** Smallest input worth handing to FFmpeg; anything shorter cannot hold a container header. */
    private static final int MIN_BYTES = 16;
    private static volatile boolean initialised;
    private static final AtomicLong ERRORS = new AtomicLong();
    private static volatile String lastError = "";
    /** Held for as long as the class lives: FFmpeg keeps only the native pointer. */
    private static final ErrorCounter COUNTER = new ErrorCounter();

    private static final class ErrorCounter extends LogCallback {
        @Override
        public void call(int level, BytePointer message) {
            if (level <= avutil.AV_LOG_ERROR) {
                ERRORS.incrementAndGet();
                // "[h264 @ 0x55d0c8] error while decoding MB" -> "h264: error while decoding MB"
                lastError = message.getString().strip().replaceFirst("^\\[(\\S+) @ 0x[0-9a-f]+\\]\\s*", "$1: ");
            }
        }
    }

    private Ffmpeg() {}

    private static void initialise() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    try {
                        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                        avutil.setLogCallback(COUNTER);
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

    /**
     * Error-level messages FFmpeg has logged so far, in all threads: a caller compares the count
     * before and after decoding a stream (decodes running at the same time add to each other's).
     */
    public static long decodeErrors() {
        return ERRORS.get();
    }

    /** The text of the latest error-level FFmpeg message, or "". */
    public static String lastDecodeError() {
        return lastError;
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
