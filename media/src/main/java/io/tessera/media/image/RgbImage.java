package io.tessera.media.image;

/**
 * An 8-bit sRGB image, pixels interleaved R,G,B, rows top to bottom.
 *
 * @param rgb {@code [height, width, 3]} bytes, read as unsigned
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + width + "*" + height + "*3");
        }
    }

    /** Channel {@code c} of pixel (x, y) in 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The region {@code [x, x+w) × [y, y+h)}, clipped to the image. */
    public RgbImage crop(int x, int y, int w, int h) {
        int x1 = Math.min(width, x + w);
        int y1 = Math.min(height, y + h);
        int cw = x1 - x;
        int ch = y1 - y;
        byte[] out = new byte[cw * ch * 3];
        for (int row = 0; row < ch; row++) {
            System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * cw * 3, cw * 3);
        }
        return new RgbImage(cw, ch, out);
    }
}
