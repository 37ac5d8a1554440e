package io.tessera.pipeline.paligemma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One object PaliGemma found: a box from four {@code <locNNNN>} tokens {@code y1 x1 y2 x2}, each
 * {@code round(coordinate * 1023)} of the image's height or width (spec/MODELS.md §3), a label, and
 * for segmentation the 16 {@code <segNNN>} codes of the VQ-VAE mask codebook (the mask itself needs
 * that decoder, which a PaliGemma checkpoint does not hold). Coordinates are normalised to [0, 1].
 *
 * @param label        the text after the tokens, trimmed
 * @param y1           top
 * @param x1           left
 * @param y2           bottom
 * @param x2           right
 * @param segmentation the 16 codes in [0, 128), or empty for a detection
 */
public record Detection(String label, double y1, double x1, double y2, double x2, int[] segmentation) {
    /** Location tokens span [0, 1023]. */
    public static final int LOCATION_BINS = 1024;
    /** Codes per segmentation mask. */
    public static final int SEGMENTATION_CODES = 16;

    private static final Pattern ENTRY = Pattern.compile(
            "((?:<loc\\d{4}>){4})\\s*((?:<seg\\d{3}>){16})?\\s*([^;<]*)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    public Detection {
        segmentation = segmentation.clone();
        if (segmentation.length != 0 && segmentation.length != SEGMENTATION_CODES) {
            throw new IllegalArgumentException("a mask has 16 codes, not " + segmentation.length);
        }
    }

    @Override
    public int[] segmentation() {
        return segmentation.clone();
    }

    public boolean isSegmentation() {
        return segmentation.length > 0;
    }

    /** The location token index of a normalised coordinate, {@code round(c * 1023)} clipped to [0, 1023]. */
    public static int locationIndex(double coordinate) {
        return (int) Math.max(0, Math.min(LOCATION_BINS - 1, Math.round(coordinate * (LOCATION_BINS - 1))));
    }

    /** The normalised coordinate of a location token index. */
    public static double coordinate(int locationIndex) {
        return locationIndex / (double) (LOCATION_BINS - 1);
    }

    /**
     * The detections in a decoded PaliGemma answer, e.g.
     * {@code <loc0100><loc0200><loc0500><loc0800> cat ; <loc0000><loc0000><loc1023><loc1023> dog}:
     * each run of four location tokens, optionally 16 segmentation tokens, then a label up to the next
     * {@code ;} or token. Text that is not such a run is skipped.
     */
    public static List<Detection> parse(String answer) {
        List<Detection> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(answer);
        while (m.find()) {
            int[] loc = numbers(m.group(1));
            int[] seg = m.group(2) == null ? new int[0] : numbers(m.group(2));
            boolean valid = true;
            for (int v : loc) {
                valid &= v < LOCATION_BINS;
            }
            for (int v : seg) {
                valid &= v < 128;
            }
            if (valid) {
                out.add(new Detection(m.group(3).strip(), coordinate(loc[0]), coordinate(loc[1]), coordinate(loc[2]),
                        coordinate(loc[3]), seg));
            }
        }
        return out;
    }

    private static int[] numbers(String tokens) {
        Matcher n = NUMBER.matcher(tokens);
        List<Integer> v = new ArrayList<>();
        while (n.find()) {
            v.add(Integer.parseInt(n.group()));
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The box in pixels of a {@code width} x {@code height} image: {left, top, right, bottom}, ordered. */
    public int[] pixels(int width, int height) {
        int left = (int) Math.round(Math.min(x1, x2) * width);
        int right = (int) Math.round(Math.max(x1, x2) * width);
        int top = (int) Math.round(Math.min(y1, y2) * height);
        int bottom = (int) Math.round(Math.max(y1, y2) * height);
        return new int[] {left, top, right, bottom};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s [y1 %.4f, x1 %.4f, y2 %.4f, x2 %.4f]%s", label.isEmpty() ? "(no label)" : label,
                y1, x1, y2, x2, isSegmentation() ? " mask codes " + java.util.Arrays.toString(segmentation) : "");
    }
}
