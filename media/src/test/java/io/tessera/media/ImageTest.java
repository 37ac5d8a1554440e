package io.tessera.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.media.image.ImageDecoder;
import io.tessera.media.image.ImagePreprocessing;
import io.tessera.media.image.ImagePreprocessing.Sizing;
import io.tessera.media.image.ImagePreprocessor;
import io.tessera.media.image.ResampleFilter;
import io.tessera.media.image.Resizer;
import io.tessera.media.image.RgbImage;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding and resizing against PIL's results on the same files. */
class ImageTest {
    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    static RgbImage decode(String name) {
        MediaInput input = MediaInput.of(Fixtures.file(name));
        assertThat(input).isInstanceOf(MediaInput.Image.class);
        return new ImageDecoder().decode((MediaInput.Image) input);
    }

    static int maxDiff(RgbImage image, Fixtures.Npy reference) {
        assertThat(reference.shape()).containsExactly(image.height(), image.width(), 3);
        int max = 0;
        for (int i = 0; i < reference.size(); i++) {
            max = Math.max(max, Math.abs((image.rgb()[i] & 0xFF) - (int) reference.data()[i]));
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {"img.png", "img.bmp", "img.tiff", "img_lossless.webp", "img.gif", "img_palette.png",
            "img_gray.png", "png_named.jpg", "img_rgba.png", "img_palette_trns.png"})
    void losslessFormatsDecodeExactlyAsPil(String name) {
        assertThat(maxDiff(decode(name), Fixtures.npy(name + ".pil.npy"))).as(name).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"img_baseline.jpg", "img_progressive.jpg"})
    void jpegDecodesCloseToLibjpeg(String name) {
        // Different IDCT/upsampling implementations may differ by a few levels; never more.
        assertThat(maxDiff(decode(name), Fixtures.npy(name + ".pil.npy"))).as(name).isLessThanOrEqualTo(6);
    }

    @Test
    void lossyWebpDecodesCloseToLibwebp() {
        RgbImage image = decode("img_lossy.webp");
        Fixtures.Npy pil = Fixtures.npy("img_lossy.webp.pil.npy");
        double sum = 0;
        for (int i = 0; i < pil.size(); i++) {
            sum += Math.abs((image.rgb()[i] & 0xFF) - pil.data()[i]);
        }
        // The WebP plugin upsamples chroma differently from libwebp's "fancy" upsampler, which shows
        // on this noise-heavy image (whose lossy coding error against the original is 15.6 levels on
        // average); a wrong colour conversion or channel order would be far above this bound.
        System.out.printf("lossy webp vs libwebp: mean abs %.3f, max %d%n", sum / pil.size(), maxDiff(image, pil));
        assertThat(sum / pil.size()).isLessThan(8.0);
    }

    @Test
    void cmykJpegDecodesToTheRightColours() {
        RgbImage image = decode("img_cmyk.jpg");
        Fixtures.Npy pil = Fixtures.npy("img_cmyk.jpg.pil.npy");
        double sum = 0;
        for (int i = 0; i < pil.size(); i++) {
            sum += Math.abs((image.rgb()[i] & 0xFF) - pil.data()[i]);
        }
        // Colour-managed CMYK conversion differs from PIL's naive one, but not by inversion or channel swap.
        assertThat(sum / pil.size()).isLessThan(40);
    }

    @Test
    void sixteenBitSamplesKeepTheirHighByte() {
        assertThat(maxDiff(decode("img_rgb16.png"), Fixtures.npy("img_rgb16.expected.npy"))).isZero();
        assertThat(maxDiff(decode("img_gray16.png"), Fixtures.npy("img_gray16.expected.npy"))).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationMatchesPilExifTranspose(int orientation) {
        String name = "exif_" + orientation + ".jpg";
        assertThat(maxDiff(decode(name), Fixtures.npy(name + ".pil.npy"))).isLessThanOrEqualTo(6);
    }

    @Test
    void resizeAndNormaliseMatchPilWithinOneLevel() throws Exception {
        List<String> cases = Files.readAllLines(Fixtures.file("resize_cases.txt"));
        for (String line : cases) {
            String[] f = line.split(" ");
            RgbImage source = decode(f[1]);
            ImagePreprocessing p = new ImagePreprocessing(new Sizing.Fixed(Integer.parseInt(f[2]), Integer.parseInt(f[3])),
                    ResampleFilter.valueOf(f[4]), true, 1f / 255f, HALF, HALF, null);
            FloatTensor ours = ImagePreprocessor.preprocess(source, p);
            Fixtures.Npy pil = Fixtures.npy("resize_" + f[0] + ".npy");
            assertThat(ours.shape()).containsExactly(pil.shape());
            double max = 0;
            for (int i = 0; i < pil.size(); i++) {
                max = Math.max(max, Math.abs(ours.data()[i] - pil.data()[i]));
            }
            System.out.printf("resize %s -> %sx%s %s: max abs error %.3g%n", f[1], f[2], f[3], f[4], max);
            assertThat(max).as(line).isLessThanOrEqualTo(1.0 / 255);
        }
    }

    @Test
    void resizeWithoutAntialiasMatchesPlainInterpolation() {
        RgbImage source = decode("img.png");
        int[][] sizes = {{128, 96}, {100, 150}};
        ResampleFilter[] filters = {ResampleFilter.BILINEAR, ResampleFilter.BICUBIC};
        for (int i = 0; i < 2; i++) {
            RgbImage ours = Resizer.resize(source, sizes[i][0], sizes[i][1], filters[i], false);
            Fixtures.Npy reference = Fixtures.npy("noaa_" + i + ".npy");
            double max = 0;
            for (int k = 0; k < reference.size(); k++) {
                max = Math.max(max, Math.abs((ours.rgb()[k] & 0xFF) - reference.data()[k]));
            }
            // The reference rounds after its first pass too, but computes in float where we use 22-bit
            // fixed point; one level of disagreement after the first pass, spread by the kernel's
            // absolute sum (1.2 for bicubic), bounds the difference.
            assertThat(max).as(filters[i].name()).isLessThanOrEqualTo(1.5);
        }
    }

    @Test
    void panAndScanCropsFollowTheGemma3Rules() {
        var p = ImagePreprocessing.PanAndScan.GEMMA3;
        assertThat(ImagePreprocessor.panAndScanCrops(1000, 900, p)).isEmpty();
        // 1536x512: ratio 3 -> 3 crops of 512x512.
        assertThat(ImagePreprocessor.panAndScanCrops(1536, 512, p)).containsExactly(
                new ImagePreprocessor.Crop(0, 0, 512, 512), new ImagePreprocessor.Crop(512, 0, 512, 512),
                new ImagePreprocessor.Crop(1024, 0, 512, 512));
        // Portrait 400x1700: ratio 4.25 -> min(floor(1700/256)=6, 4) = 4, crop 400x425.
        assertThat(ImagePreprocessor.panAndScanCrops(400, 1700, p)).hasSize(4)
                .first().isEqualTo(new ImagePreprocessor.Crop(0, 0, 400, 425));
        // 600x250: 2 crops of 300x250, under the minimum crop size -> none.
        assertThat(ImagePreprocessor.panAndScanCrops(600, 250, p)).isEmpty();
        // Ceil division: the last crop is clipped to the image.
        assertThat(ImagePreprocessor.panAndScanCrops(1001, 300, p)).last().isEqualTo(new ImagePreprocessor.Crop(668, 0, 333, 300));
    }

    @Test
    void gemma3PresetGivesNormalisedChannelsFirst896() {
        RgbImage source = decode("img.png");
        List<FloatTensor> out = ImagePreprocessor.preprocessAll(source, Presets.GEMMA3.image());
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().shape()).containsExactly(3, 896, 896);
        FloatTensor.Stats s = out.getFirst().stats();
        assertThat(s.min()).isGreaterThanOrEqualTo(-1.0);
        assertThat(s.max()).isLessThanOrEqualTo(1.0);
        var withCrops = ImagePreprocessor.preprocessAll(Resizer.resize(source, 1200, 400, ResampleFilter.BILINEAR, true),
                Presets.GEMMA3.image().withPanAndScan(ImagePreprocessing.PanAndScan.GEMMA3));
        assertThat(withCrops).hasSize(4);
    }

    @Test
    void gemma4SizingKeepsAspectWithinTheTokenBudget() {
        Sizing sizing = Presets.GEMMA4.image().sizing();
        for (int[] wh : new int[][] {{317, 211}, {4000, 3000}, {100, 3000}, {896, 896}}) {
            int[] out = sizing.outputSize(wh[0], wh[1]);
            assertThat(out[0] % 48).isZero();
            assertThat(out[1] % 48).isZero();
            assertThat((out[0] / 16) * (out[1] / 16)).isLessThanOrEqualTo(280 * 9);
        }
        assertThat(sizing.outputSize(896, 896)).containsExactly(768, 768);
    }
}
