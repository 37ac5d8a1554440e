package io.tessera.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tessera.media.image.RgbImage;

/**
 * Gemma 4 sizing against values worked out by hand from the two references' formulas
 * (HF {@code get_aspect_ratio_preserving_size}; llama.cpp {@code calc_size_preserved_ratio}), and
 * llama.cpp's letterbox.
 */
class Gemma4ImagePreprocessingTest {
    @Test
    void officialSizingFillsTheBudgetWithWholeUnits() {
        Gemma4ImagePreprocessing hf = Gemma4ImagePreprocessing.images();
        // factor = sqrt(280 * 48^2 / (1000 * 600)) = 1.0369: 1036.9 x 622.1 -> 21 x 12 units
        assertThat(hf.outputSize(1000, 600, 48)).containsExactly(1008, 576);
        // a small image is scaled up to the budget: 200 x 120 -> factor 5.18 -> 1036 x 621 -> 21 x 12 units
        assertThat(hf.outputSize(200, 120, 48)).containsExactly(1008, 576);
        // 2000 x 20: factor 4.016 -> 8032 x 80.3 -> 167 x 1 units
        assertThat(hf.outputSize(2000, 20, 48)).containsExactly(8016, 48);
        // 4000 x 10: the short side rounds to 0 and becomes one unit, the long one min(400, 280) units
        assertThat(hf.outputSize(4000, 10, 48)).containsExactly(13440, 48);
        // video frames: 70 tokens, 1280 x 720 -> factor 0.4183: 535.5 x 301.2 -> 11 x 6 units (66 tokens)
        assertThat(Gemma4ImagePreprocessing.videoFrames().outputSize(1280, 720, 48)).containsExactly(528, 288);
    }

    @Test
    void llamaCppSizingRoundsAndOnlyRescalesOutsideItsBounds() {
        Gemma4ImagePreprocessing ll = Gemma4ImagePreprocessing.llamaCpp();
        // within 40..280 tokens: nearest units, 500 x 310 -> 10 x 6 (60 tokens)
        assertThat(ll.outputSize(500, 310, 48)).containsExactly(480, 288);
        // 200 x 120 rounds to 4 x 3 = 12 tokens < 40: beta = sqrt(40 * 48^2 / 24000) = 1.9596, sides rounded up
        assertThat(ll.outputSize(200, 120, 48)).containsExactly(432, 240);
        // 1100 x 600 rounds to 23 x 13 = 299 > 280: beta = 1.0115, sides rounded down to 22 x 12
        assertThat(ll.outputSize(1100, 600, 48)).containsExactly(1056, 576);
    }

    @Test
    void llamaCppLetterboxesTheImageCentredOnBlack() {
        byte[] white = new byte[200 * 120 * 3];
        java.util.Arrays.fill(white, (byte) 255);
        RgbImage out = Gemma4ImagePreprocessing.llamaCpp().resize(new RgbImage(200, 120, white), 48);
        // 432 x 240: scale min(2.16, 2) = 2 -> 400 x 240 at x = 16
        assertThat(out.width()).isEqualTo(432);
        assertThat(out.height()).isEqualTo(240);
        assertThat(out.get(15, 100, 0)).isZero();
        assertThat(out.get(16, 100, 0)).isEqualTo(255);
        assertThat(out.get(415, 100, 1)).isEqualTo(255);
        assertThat(out.get(416, 100, 2)).isZero();
        RgbImage stretched = Gemma4ImagePreprocessing.images().withMaxTokens(45).resize(new RgbImage(200, 120, white),
                48);
        assertThat(stretched.get(0, 0, 0)).isEqualTo(255);
    }
}
