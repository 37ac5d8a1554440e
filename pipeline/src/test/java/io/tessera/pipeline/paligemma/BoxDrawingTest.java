package io.tessera.pipeline.paligemma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import io.tessera.media.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Boxes land where their normalised coordinates say on the original image, with their labels drawn. */
class BoxDrawingTest {
    @Test
    void boxesAndLabelsOnTheImage() throws Exception {
        int w = 320;
        int h = 200;
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                rgb[i] = (byte) (60 + x / 4);
                rgb[i + 1] = (byte) (90 + y / 4);
                rgb[i + 2] = (byte) 120;
            }
        }
        RgbImage image = new RgbImage(w, h, rgb);
        List<Detection> d = Detection.parse("<loc0205><loc0128><loc0818><loc0512> cat ; "
                + "<loc0410><loc0640><loc0972><loc0960> dog");
        Path out = Path.of("target/paligemma-boxes.png");
        Files.createDirectories(out.getParent());
        BoxDrawing.writePng(image, d, out);
        BufferedImage png = ImageIO.read(out.toFile());
        assertEquals(w, png.getWidth());
        int[] cat = d.get(0).pixels(w, h);
        assertEquals(40, cat[0]);
        assertEquals(40, cat[1]);
        assertEquals(160, cat[2]);
        assertEquals(160, cat[3]);
        int first = png.getRGB(cat[0], (cat[1] + cat[3]) / 2) & 0xFFFFFF;
        assertEquals(0xE6194B, first, "the left edge of the first box has its colour");
        int inside = png.getRGB((cat[0] + cat[2]) / 2, (cat[1] + cat[3]) / 2) & 0xFFFFFF;
        int original = (60 + 100 / 4) << 16 | (90 + 100 / 4) << 8 | 120;
        assertEquals(original, inside, "the inside of the box is the image");
        int[] dog = d.get(1).pixels(w, h);
        int tag = png.getRGB(dog[0] + 1, dog[1] - 2) & 0xFFFFFF;
        assertNotEquals(original, tag, "a label tag sits above the second box");
    }
}
