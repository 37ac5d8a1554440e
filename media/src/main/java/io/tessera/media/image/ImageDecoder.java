package io.tessera.media.image;

import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.MediaTooLargeException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.common.ImageMetadata;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.png.PngImageMetadata;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.TiffImageMetadata;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.webp.WebPImageMetadata;

/**
 * Decodes PNG, JPEG (baseline, progressive, CMYK), GIF (first frame), BMP, TIFF and WebP into 8-bit
 * RGB, the way the models' reference preprocessors see them: EXIF orientation applied, alpha
 * composited on white, grayscale replicated to three channels, palettes expanded, 16-bit samples
 * reduced to their high byte.
 *
 * <p>The header's dimensions are checked against {@link Limits#maxPixels()} before any pixel is
 * decoded, so a small file claiming a huge image is refused without allocating it.
 */
public final class ImageDecoder {
    /** Limits on what is decoded. */
    public record Limits(long maxPixels, long maxBytes) {
        /** 50 megapixels (PIL warns at 89 MP), files up to 256 MiB. */
        public static final Limits DEFAULT = new Limits(50_000_000L, 256L << 20);

        public Limits {
            if (maxPixels <= 0 || maxBytes <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Limits limits;

    public ImageDecoder(Limits limits) {
        this.limits = limits;
    }

    public ImageDecoder() {
        this(Limits.DEFAULT);
    }

    public RgbImage decode(MediaInput.Image input) {
        return decode(input.name(), input.source().readAll(limits.maxBytes()));
    }

    /** Decodes {@code bytes}; {@code name} labels errors. */
    public RgbImage decode(String name, byte[] bytes) {
        if (bytes.length == 0) {
            throw new MediaFormatException(name, "empty file (0 bytes)");
        }
        BufferedImage image = read(name, bytes);
        RgbImage rgb = toRgb(name, image);
        return Orientation.apply(rgb, exifOrientation(bytes));
    }

    private BufferedImage read(String name, byte[] bytes) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new MediaFormatException(name, "no decoder for this image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (width <= 0 || height <= 0) {
                    throw new MediaFormatException(name, "invalid image size " + width + "x" + height);
                }
                if (pixels > limits.maxPixels()) {
                    throw new MediaTooLargeException(name, "image is " + width + "x" + height + " = " + pixels
                            + " pixels, over the limit of " + limits.maxPixels() + " (possible decompression bomb)");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                for (String warning : warnings) {
                    if (isTruncation(warning)) {
                        throw new MediaFormatException(name, "image data is truncated (" + warning + ")");
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (MediaFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MediaFormatException(name, "cannot decode image: " + describe(e), e);
        }
    }

    private static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(java.util.Locale.ROOT);
        return w.contains("premature end") || w.contains("truncat") || w.contains("unexpected end");
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t instanceof java.io.EOFException || (e.getCause() instanceof java.io.EOFException)) {
            return "image data is truncated";
        }
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    /** EXIF orientation tag (1..8), 1 when absent or unreadable. */
    static int exifOrientation(byte[] bytes) {
        try {
            ImageMetadata metadata = Imaging.getMetadata(bytes);
            TiffImageMetadata exif = switch (metadata) {
                case JpegImageMetadata jpeg -> jpeg.getExif();
                case TiffImageMetadata tiff -> tiff;
                case WebPImageMetadata webp -> webp.getExif();
                case PngImageMetadata png -> png.getExif();
                case null, default -> null;
            };
            if (exif == null) {
                return 1;
            }
            TiffField field = exif.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
            if (field == null) {
                return 1;
            }
            int value = field.getIntValue();
            return value >= 1 && value <= 8 ? value : 1;
        } catch (IOException | RuntimeException e) {
            // Metadata that cannot be parsed does not make the pixels unreadable; PIL ignores it too.
            return 1;
        }
    }

    /** Converts any decoded raster to 8-bit RGB without colour management for gray and RGB data. */
    static RgbImage toRgb(String name, BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        if (cm.isAlphaPremultiplied()) {
            image.coerceData(false);
        }
        Raster raster = image.getRaster();
        byte[] out = new byte[w * h * 3];
        int bands = raster.getNumBands();
        int[] row = new int[w * bands];
        int csType = cm.getColorSpace().getType();
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            int[] argb = new int[size];
            icm.getRGBs(argb);
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int index = row[x * bands];
                    int c = index < size ? argb[index] : 0xFF000000;
                    put(out, (y * w + x) * 3, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, c >>> 24);
                }
            }
        } else if ((csType == ColorSpace.TYPE_GRAY || csType == ColorSpace.TYPE_RGB) && bands <= 4) {
            boolean gray = csType == ColorSpace.TYPE_GRAY;
            int colorBands = gray ? 1 : 3;
            boolean alpha = cm.hasAlpha() && bands == colorBands + 1;
            int bits = raster.getSampleModel().getSampleSize(0);
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int p = x * bands;
                    int r = to8(row[p], bits);
                    int g = gray ? r : to8(row[p + 1], bits);
                    int b = gray ? r : to8(row[p + 2], bits);
                    int a = alpha ? to8(row[p + colorBands], bits) : 255;
                    put(out, (y * w + x) * 3, r, g, b, a);
                }
            }
        } else {
            // CMYK, YCbCr, Lab and the like: let the colour model convert to sRGB.
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int c = argb[x];
                    put(out, (y * w + x) * 3, (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, cm.hasAlpha() ? c >>> 24 : 255);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int to8(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }

    /** Writes one pixel composited on white with PIL's {@code alpha_composite} integer rounding. */
    private static void put(byte[] out, int o, int r, int g, int b, int a) {
        if (a != 255) {
            r = overWhite(r, a);
            g = overWhite(g, a);
            b = overWhite(b, a);
        }
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
    }

    static int overWhite(int c, int a) {
        if (a == 0) {
            return 255;
        }
        // c*a/255 + 255*(255-a)/255 in 7-bit fixed point, divided by 255 as (x + x>>8) >> 8.
        int coef1 = a * 128;
        int coef2 = 255 * 128 - coef1;
        int tmp = c * coef1 + 255 * coef2 + (0x80 << 7);
        return (((tmp >> 8) + tmp) >> 8) >> 7;
    }
}
