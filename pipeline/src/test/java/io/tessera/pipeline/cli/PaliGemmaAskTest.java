package io.tessera.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import io.tessera.pipeline.paligemma.RandomPaliGemma;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code tessera ask --model DIR} on a random-weight PaliGemma 2 directory. */
class PaliGemmaAskTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path image;

    @BeforeAll
    static void files() throws Exception {
        model = new RandomPaliGemma(true, "BF16", true, 11).write(tmp.resolve("paligemma"));
        BufferedImage b = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 90; x++) {
                b.setRGB(x, y, (x * 2) << 16 | (y * 4) << 8 | 128);
            }
        }
        image = tmp.resolve("scene.png");
        ImageIO.write(b, "png", image.toFile());
    }

    @Test
    void detectAndDraw() throws Exception {
        Path out = tmp.resolve("boxes.png");
        CliHarness r = CliHarness.run("ask", "--model", model.toString(), "--image", image.toString(), "--draw",
                out.toString(), "--greedy", "-n", "6", "--backend", "jvm", "detect cat");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("PaliGemma (gemma2 decoder)"), r.err());
        assertTrue(r.err().contains("prefix of 28 positions (1 image, 12 text tokens)"), r.err());
        assertTrue(r.err().contains("into " + out), r.err());
        BufferedImage drawn = ImageIO.read(out.toFile());
        assertEquals(90, drawn.getWidth());
        assertEquals(60, drawn.getHeight());
    }

    @Test
    void greedyUnlessASamplingOptionIsGiven() {
        String[] args = {"ask", "--model", model.toString(), "--image", image.toString(), "--quiet", "-n", "8",
            "--backend", "jvm", "caption en"};
        CliHarness a = CliHarness.run(args);
        CliHarness b = CliHarness.run(args);
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(a.out(), b.out(), "arg-max decoding is deterministic");
    }

    @Test
    void usageErrors() {
        CliHarness r = CliHarness.run("ask", "--model", model.toString(), "--image", image.toString(), "--quiet");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("PaliGemma needs a prompt"), r.err());
        r = CliHarness.run("ask", "--model", model.toString(), "--mmproj", "x.gguf", "--image", image.toString(), "q");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        r = CliHarness.run("ask", "--model", model.toString(), "--draw", "x.png", "caption en");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--draw needs an --image"), r.err());
    }

    @Test
    void badDirectoryIsOneLine() throws Exception {
        Path bad = new RandomPaliGemma(false, "F32", false, 12).write(tmp.resolve("bad"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(bad.resolve("config.json").toFile());
        c.put("model_type", "llava");
        json.writeValue(bad.resolve("config.json").toFile(), c);
        CliHarness r = CliHarness.run("ask", "--model", bad.toString(), "--image", image.toString(), "caption en");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("config.json: model_type is 'llava'"), r.err());
        Files.delete(bad.resolve("config.json"));
    }
}
