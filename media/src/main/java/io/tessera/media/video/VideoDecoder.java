package io.tessera.media.video;

import io.tessera.media.Ffmpeg;
import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.MediaTooLargeException;
import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.ResampleFilter;
import io.tessera.media.image.RgbImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples frames from MP4/MOV/MKV/WebM/AVI through FFmpeg. Frames are decoded in order (no seeking,
 * so the frame returned for a time is exactly the one displayed then: the last frame whose
 * timestamp is not after it), converted to RGB24 by FFmpeg, and only the chosen ones are kept.
 * A frame that does not decode (a corrupt packet) is skipped with a warning, and its time shows
 * the frame before it; a stream in which no frame decodes is an error.
 */
public final class VideoDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(VideoDecoder.class);
    /** Limits on what is decoded. */
    public record Limits(long maxFramePixels, long maxBytes) {
        public static final Limits DEFAULT = new Limits(8192L * 8192, 4L << 30);
    }

    /** Stream facts read from the container before decoding. */
    public record Info(int width, int height, double frameRate, int frameCount, long durationMicros, boolean hasAudio) {}

    /** Frames within this of a requested time count as at it (timestamps are rounded to µs). */
    private static final long TOLERANCE_MICROS = 1000;

    private final Limits limits;

    public VideoDecoder(Limits limits) {
        this.limits = limits;
    }

    public VideoDecoder() {
        this(Limits.DEFAULT);
    }

    public Info info(MediaInput.Video input) {
        FFmpegFrameGrabber grabber = open(input);
        try {
            return info(grabber);
        } finally {
            Ffmpeg.closeQuietly(grabber);
        }
    }

    public List<VideoFrame> sample(MediaInput.Video input, VideoSampling sampling) {
        FFmpegFrameGrabber grabber = open(input);
        long errorsBefore = Ffmpeg.decodeErrors();
        try {
            Info info = info(grabber);
            long[] targets = targets(info, sampling, input.name());
            List<VideoFrame> out = new ArrayList<>(targets.length);
            int next = 0;
            int index = -1;
            long firstTimestamp = Long.MIN_VALUE;
            byte[] current = null;
            int currentW = 0;
            int currentH = 0;
            int currentIndex = -1;
            long currentTs = 0;
            Frame frame;
            while (next < targets.length && (frame = grabber.grabImage()) != null) {
                if (frame.image == null || frame.imageWidth <= 0 || frame.imageHeight <= 0) {
                    continue;
                }
                index++;
                if (firstTimestamp == Long.MIN_VALUE) {
                    firstTimestamp = frame.timestamp;
                }
                long ts = frame.timestamp - firstTimestamp;
                while (next < targets.length && ts > targets[next] + TOLERANCE_MICROS && current != null) {
                    out.add(emit(current, currentW, currentH, currentIndex, currentTs, targets[next], sampling));
                    next++;
                }
                current = rgb(frame, current, input.name());
                currentW = frame.imageWidth;
                currentH = frame.imageHeight;
                currentIndex = index;
                currentTs = ts;
            }
            long errors = Ffmpeg.decodeErrors() - errorsBefore;
            if (current == null) {
                throw new MediaFormatException(input.name(), "video stream decodes to no frames"
                        + (errors > 0 ? " (FFmpeg: " + Ffmpeg.lastDecodeError() + ")" : ""));
            }
            if (errors > 0) {
                LOG.warn("{}: FFmpeg reported {} decoding error(s) (last: {}); frames that did not decode were"
                        + " skipped, {} decoded before the last sample", input.name(), errors,
                        Ffmpeg.lastDecodeError(), index + 1);
            }
            while (next < targets.length) {
                out.add(emit(current, currentW, currentH, currentIndex, currentTs, targets[next], sampling));
                next++;
            }
            return out;
        } catch (MediaFormatException e) {
            throw e;
        } catch (Exception e) {
            throw new MediaFormatException(input.name(), "cannot decode video: " + Ffmpeg.message(e), e);
        } finally {
            Ffmpeg.closeQuietly(grabber);
        }
    }

    private FFmpegFrameGrabber open(MediaInput.Video input) {
        FFmpegFrameGrabber grabber = Ffmpeg.open(input.source(), limits.maxBytes(),
                g -> g.setPixelFormat(avutil.AV_PIX_FMT_RGB24));
        try {
            if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new MediaFormatException(input.name(), "no video stream" + (grabber.hasAudio() ? " (audio only)" : ""));
            }
            long pixels = (long) grabber.getImageWidth() * grabber.getImageHeight();
            if (pixels > limits.maxFramePixels()) {
                throw new MediaTooLargeException(input.name(), "frames are " + grabber.getImageWidth() + "x"
                        + grabber.getImageHeight() + ", over the limit of " + limits.maxFramePixels() + " pixels");
            }
            return grabber;
        } catch (RuntimeException e) {
            Ffmpeg.closeQuietly(grabber);
            throw e;
        }
    }

    private static Info info(FFmpegFrameGrabber g) {
        double fps = g.getVideoFrameRate() > 0 ? g.getVideoFrameRate() : g.getFrameRate();
        int frames = Math.max(0, g.getLengthInVideoFrames());
        long duration = frames > 0 && fps > 0 ? Math.round(frames / fps * 1e6) : Math.max(0, g.getLengthInTime());
        return new Info(g.getImageWidth(), g.getImageHeight(), fps, frames, duration, g.hasAudio());
    }

    /** Requested times in µs, ascending. */
    static long[] targets(Info info, VideoSampling sampling, String name) {
        long duration = info.durationMicros();
        long[] targets = switch (sampling.mode()) {
            case VideoSampling.Mode.Uniform u -> {
                long[] t = new long[u.frames()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (long) Math.floor((double) i * duration / u.frames());
                }
                yield t;
            }
            case VideoSampling.Mode.Rate r -> {
                long count = duration <= 0 ? 1 : (long) Math.ceil(duration / 1e6 * r.fps() - 1e-9);
                if (count > sampling.maxFrames()) {
                    throw new MediaTooLargeException(name, "sampling at " + r.fps() + " fps gives " + count
                            + " frames, over the limit of " + sampling.maxFrames());
                }
                long[] t = new long[(int) Math.max(1, count)];
                for (int k = 0; k < t.length; k++) {
                    t[k] = Math.round(k / r.fps() * 1e6);
                }
                yield t;
            }
        };
        if (targets.length > sampling.maxFrames()) {
            throw new MediaTooLargeException(name, targets.length + " frames requested, over the limit of " + sampling.maxFrames());
        }
        return targets;
    }

    private static byte[] rgb(Frame frame, byte[] reuse, String name) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = w * 3;
        if (frame.imageChannels != 3 || frame.imageDepth != Frame.DEPTH_UBYTE) {
            throw new MediaFormatException(name, "FFmpeg returned frames with " + frame.imageChannels + " channels of depth "
                    + frame.imageDepth + ", expected RGB24");
        }
        int stride = frame.imageStride > 0 ? frame.imageStride : rowBytes;
        byte[] out = reuse != null && reuse.length == rowBytes * h ? reuse : new byte[rowBytes * h];
        ByteBuffer buffer = ((ByteBuffer) frame.image[0]).duplicate();
        for (int y = 0; y < h; y++) {
            buffer.position(y * stride);
            buffer.get(out, y * rowBytes, rowBytes);
        }
        return out;
    }

    private static VideoFrame emit(byte[] rgb, int w, int h, int index, long ts, long requested, VideoSampling sampling) {
        RgbImage image = new RgbImage(w, h, rgb.clone());
        int side = sampling.maxSide();
        if (side > 0 && Math.max(w, h) > side) {
            double scale = (double) side / Math.max(w, h);
            int ow = Math.max(1, (int) Math.round(w * scale));
            int oh = Math.max(1, (int) Math.round(h * scale));
            image = ImagePreprocessor.resize(image, new ImagePreprocessing(new ImagePreprocessing.Sizing.Fixed(ow, oh),
                    ResampleFilter.BICUBIC, true, 1f, new float[3], new float[] {1, 1, 1}, null));
        }
        return new VideoFrame(index, ts, requested, image);
    }
}
