package io.tessera.pipeline.paligemma;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import io.tessera.media.image.RgbImage;

/**
 * Draws detections onto the image they are about: each box outlined in its own colour with its label
 * on a filled tag above the box (inside it when the box touches the top edge). PaliGemma stretches
 * the image to its square input, so normalised box coordinates map straight onto the original.
 */
public final class BoxDrawing {
    private static final Color[] COLOURS = {new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200),
        new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230),
        new Color(210, 245, 60)};

    private BoxDrawing() {
    }

    /** The image with the boxes and labels drawn on it. */
    public static BufferedImage draw(RgbImage image, List<Detection> detections) {
        int w = image.width();
        int h = image.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] rgb = image.rgb();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                out.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
            }
        }
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int stroke = Math.max(2, Math.min(w, h) / 150);
        g.setStroke(new BasicStroke(stroke));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.min(w, h) / 25)));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < detections.size(); i++) {
            Detection d = detections.get(i);
            Color c = COLOURS[i % COLOURS.length];
            int[] box = d.pixels(w, h);
            g.setColor(c);
            g.drawRect(box[0], box[1], Math.max(1, box[2] - box[0]), Math.max(1, box[3] - box[1]));
            String label = d.label().isEmpty() ? "?" : d.label();
            int tw = fm.stringWidth(label) + 6;
            int th = fm.getHeight();
            int tx = Math.max(0, Math.min(box[0], w - tw));
            int ty = box[1] - th >= 0 ? box[1] - th : box[1];
            g.fillRect(tx, ty, tw, th);
            g.setColor(luminance(c) > 140 ? Color.BLACK : Color.WHITE);
            g.drawString(label, tx + 3, ty + fm.getAscent());
        }
        g.dispose();
        return out;
    }

    /** Draws and writes a PNG. */
    public static void writePng(RgbImage image, List<Detection> detections, Path file) {
        try {
            if (!ImageIO.write(draw(image, detections), "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static double luminance(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }
}
