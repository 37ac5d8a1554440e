package io.tessera.media.image;

import io.tessera.media.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/** Resize and normalise, and the Gemma 3 pan-and-scan crops. */
public final class ImagePreprocessor {
    private ImagePreprocessor() {}

    /** The resized image, before normalisation. */
    public static RgbImage resize(RgbImage image, ImagePreprocessing p) {
        int[] size = p.sizing().outputSize(image.width(), image.height());
        return Resizer.resize(image, size[0], size[1], p.filter(), p.antialias());
    }

    /** {@code [3, H, W]} channels-first, {@code (pixel * rescale - mean[c]) / std[c]}. */
    public static FloatTensor normalize(RgbImage image, ImagePreprocessing p) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        float[] out = new float[3 * plane];
        byte[] rgb = image.rgb();
        float[] mean = p.mean();
        float[] std = p.std();
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                float scaled = (float) (v * (double) p.rescale());
                lut[c][v] = (scaled - mean[c]) / std[c];
            }
        }
        for (int i = 0; i < plane; i++) {
            out[i] = lut[0][rgb[i * 3] & 0xFF];
            out[plane + i] = lut[1][rgb[i * 3 + 1] & 0xFF];
            out[2 * plane + i] = lut[2][rgb[i * 3 + 2] & 0xFF];
        }
        return new FloatTensor(new int[] {3, h, w}, out);
    }

    /** Resize then normalise. */
    public static FloatTensor preprocess(RgbImage image, ImagePreprocessing p) {
        return normalize(resize(image, p), p);
    }

    /**
     * The images the model receives for one input: the original, then the pan-and-scan crops when
     * enabled and they apply, each resized and normalised.
     */
    public static List<FloatTensor> preprocessAll(RgbImage image, ImagePreprocessing p) {
        List<FloatTensor> out = new ArrayList<>();
        out.add(preprocess(image, p));
        if (p.panAndScan() != null) {
            for (Crop crop : panAndScanCrops(image.width(), image.height(), p.panAndScan())) {
                out.add(preprocess(image.crop(crop.x(), crop.y(), crop.width(), crop.height()), p));
            }
        }
        return out;
    }

    /** A crop rectangle in source pixels, clipped to the image. */
    public record Crop(int x, int y, int width, int height) {}

    /** Pan-and-scan crop rectangles, row-major, or none when the image is close to square or small. */
    public static List<Crop> panAndScanCrops(int width, int height, ImagePreprocessing.PanAndScan p) {
        boolean landscape = width >= height;
        int longSide = landscape ? width : height;
        int shortSide = landscape ? height : width;
        if ((double) longSide / shortSide < p.minRatioToActivate()) {
            return List.of();
        }
        int n = (int) Math.floor((double) longSide / shortSide + 0.5);
        n = Math.min((int) Math.floor((double) longSide / p.minCropSize()), n);
        n = Math.max(2, Math.min(p.maxNumCrops(), n));
        int nw = landscape ? n : 1;
        int nh = landscape ? 1 : n;
        int cropW = (int) Math.ceil((double) width / nw);
        int cropH = (int) Math.ceil((double) height / nh);
        if (Math.min(cropW, cropH) < p.minCropSize()) {
            return List.of();
        }
        List<Crop> crops = new ArrayList<>();
        for (int i = 0; i < nh; i++) {
            for (int j = 0; j < nw; j++) {
                int x = j * cropW;
                int y = i * cropH;
                crops.add(new Crop(x, y, Math.min(cropW, width - x), Math.min(cropH, height - y)));
            }
        }
        return crops;
    }
}
