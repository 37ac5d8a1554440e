package io.tessera.media.image;

/** EXIF orientation (TIFF tag 274): the transform that brings stored pixels upright. */
final class Orientation {
    private Orientation() {}

    /**
     * Applies orientation {@code tag}: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90
     * clockwise, 7 transverse, 8 rotate 90 counter-clockwise (as PIL's {@code exif_transpose}).
     */
    static RgbImage apply(RgbImage src, int tag) {
        if (tag <= 1 || tag > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        boolean swap = tag >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = src.rgb();
        byte[] out = new byte[in.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (tag) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                int s = (sy * w + sx) * 3;
                int o = (y * ow + x) * 3;
                out[o] = in[s];
                out[o + 1] = in[s + 1];
                out[o + 2] = in[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
