package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;

class ConvTest {

    @ParameterizedTest(name = "C={0} H={1} W={2} outC={3} patch={4}x{5}")
    @CsvSource({"1, 1, 1, 1, 1, 1", "3, 28, 28, 5, 14, 14", "3, 30, 17, 4, 4, 4", "2, 9, 10, 3, 3, 2"})
    void againstDirectConvolution(int c, int h, int w, int outC, int ph, int pw) {
        SplittableRandom rnd = TestArrays.random(c * 1000L + h * 10L + w);
        FloatArray image = TestArrays.floats(rnd, (long) c * h * w, 1);
        FloatArray weight = TestArrays.floats(rnd, (long) outC * c * ph * pw, 1);
        FloatArray bias = TestArrays.floats(rnd, outC, 1);
        int gh = h / ph;
        int gw = w / pw;
        // out[o][y][x] = bias[o] + sum_{c,i,j} weight[o][c][i][j] * image[c][y*ph + i][x*pw + j]
        double[] ref = new double[gh * gw * outC];
        for (int o = 0; o < outC; o++) {
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    double s = bias.get(o);
                    for (int ch = 0; ch < c; ch++) {
                        for (int i = 0; i < ph; i++) {
                            for (int j = 0; j < pw; j++) {
                                s += weight.get(((o * c + ch) * ph + i) * pw + j)
                                        * (double) image.get((ch * h + y * ph + i) * w + x * pw + j);
                            }
                        }
                    }
                    ref[(y * gw + x) * outC + o] = s;
                }
            }
        }
        FloatArray out = TestArrays.nans((long) gh * gw * outC);
        Conv.patchEmbed(image, weight, bias, out, c, h, w, outC, ph, pw);
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-12);
    }

    @Test
    void onesKernelSumsEachPatch() {
        // 1 channel 2x4 image, 2x2 patches: two patches, sums 1+2+5+6 and 3+4+7+8, plus bias 1
        FloatArray image = FloatArray.of(1, 2, 3, 4, 5, 6, 7, 8);
        FloatArray weight = FloatArray.of(1, 1, 1, 1);
        FloatArray out = FloatArray.allocate(2);
        Conv.patchEmbed(image, weight, FloatArray.of(1), out, 1, 2, 4, 1, 2, 2);
        assertThat(out.toArray()).containsExactly(15, 23);
    }
}
