package io.tessera.pipeline.paligemma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tessera.tokenizer.Tokenizer;
import io.tessera.tokenizer.TokenizerFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PaliGemma's location and segmentation output (spec/MODELS.md §3): four {@code <locNNNN>} tokens
 * {@code y1 x1 y2 x2} of {@code round(c * 1023)}, optionally 16 {@code <segNNN>} codes, a label,
 * entries separated by {@code ;}. Expected values are the closed-form coordinates.
 */
class DetectionTest {
    @TempDir
    Path tmp;

    @Test
    void boxesWithLabels() {
        List<Detection> d = Detection.parse("<loc0100><loc0200><loc0500><loc0800> cat ; "
                + "<loc0000><loc0000><loc1023><loc1023> big dog");
        assertEquals(2, d.size());
        assertEquals("cat", d.get(0).label());
        assertEquals(100 / 1023.0, d.get(0).y1(), 1e-12);
        assertEquals(200 / 1023.0, d.get(0).x1(), 1e-12);
        assertEquals(500 / 1023.0, d.get(0).y2(), 1e-12);
        assertEquals(800 / 1023.0, d.get(0).x2(), 1e-12);
        assertFalse(d.get(0).isSegmentation());
        assertEquals("big dog", d.get(1).label());
        assertEquals(0.0, d.get(1).y1());
        assertEquals(1.0, d.get(1).x2());
    }

    @Test
    void segmentationCodes() {
        StringBuilder s = new StringBuilder("<loc0010><loc0020><loc0030><loc0040>");
        for (int i = 0; i < 16; i++) {
            s.append(String.format("<seg%03d>", i * 8));
        }
        s.append(" cat");
        List<Detection> d = Detection.parse(s.toString());
        assertEquals(1, d.size());
        assertTrue(d.getFirst().isSegmentation());
        assertEquals(8 * 15, d.getFirst().segmentation()[15]);
        assertEquals("cat", d.getFirst().label());
    }

    @Test
    void malformedRunsAreSkipped() {
        assertTrue(Detection.parse("a cat sits on the mat").isEmpty());
        assertTrue(Detection.parse("<loc0100><loc0200><loc0500> three only").isEmpty());
        assertTrue(Detection.parse("<loc0100><loc0200><loc0500><loc2000> out of range").isEmpty());
        List<Detection> d = Detection.parse("noise <loc0001> <loc0100><loc0200><loc0300><loc0400>cat;");
        assertEquals(1, d.size());
        assertEquals("cat", d.getFirst().label());
    }

    @Test
    void coordinatesAndPixels() {
        for (int i = 0; i < Detection.LOCATION_BINS; i++) {
            assertEquals(i, Detection.locationIndex(Detection.coordinate(i)));
        }
        assertEquals(512, Detection.locationIndex(0.5));
        assertEquals(0, Detection.locationIndex(-0.2));
        assertEquals(1023, Detection.locationIndex(1.7));
        // y2 < y1 and x2 < x1 come out ordered
        Detection d = new Detection("x", 1.0, 0.5, 0.25, 0.0, new int[0]);
        assertArrayEquals(new int[] {0, 25, 100, 100}, d.pixels(200, 100));
    }

    @Test
    void decodedLocationTokensParse() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        new RandomPaliGemma(false, "F32", false, 1).write(dir);
        Tokenizer t = TokenizerFiles.load(dir.resolve("tokenizer.json"));
        int[] word = t.encode(" cat", false, false);
        int[] ids = new int[4 + word.length];
        ids[0] = t.locationToken(12);
        ids[1] = t.locationToken(34);
        ids[2] = t.locationToken(560);
        ids[3] = t.locationToken(780);
        System.arraycopy(word, 0, ids, 4, word.length);
        List<Detection> d = Detection.parse(t.decode(ids, true));
        assertEquals(1, d.size());
        assertEquals("cat", d.getFirst().label());
        assertEquals(Detection.coordinate(560), d.getFirst().y2());
    }
}
