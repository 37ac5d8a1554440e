package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.FloatArray;

class PoolTest {

    @Test
    void twoByTwoMeans() {
        // 1 channel, 2x4: windows {1,2,5,6} and {3,4,7,8}
        FloatArray x = FloatArray.of(1, 2, 3, 4, 5, 6, 7, 8);
        FloatArray out = FloatArray.allocate(2);
        Pool.avgPool2dChw(x, out, 1, 2, 4, 2, 2);
        assertThat(out.toArray()).containsExactly(3.5f, 5.5f);
    }

    @ParameterizedTest(name = "C={0} H={1} W={2} kernel={3} stride={4}")
    @CsvSource({"1, 1, 1, 1, 1", "3, 8, 8, 4, 4", "2, 7, 9, 3, 2", "5, 16, 12, 4, 4", "1, 5, 5, 2, 3"})
    void bothLayoutsAgainstDirectMeans(int c, int h, int w, int kernel, int stride) {
        SplittableRandom rnd = TestArrays.random(c * 100L + h * 10L + w);
        FloatArray chw = TestArrays.floats(rnd, (long) c * h * w, 1);
        FloatArray hwc = FloatArray.allocate((long) c * h * w);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    hwc.set((y * w + x) * c + ch, chw.get((ch * h + y) * w + x));
                }
            }
        }
        int oh = (h - kernel) / stride + 1;
        int ow = (w - kernel) / stride + 1;
        double[] refChw = new double[c * oh * ow];
        double[] refHwc = new double[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double s = 0;
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) {
                            s += chw.get((ch * h + y * stride + i) * w + x * stride + j);
                        }
                    }
                    refChw[(ch * oh + y) * ow + x] = s / (kernel * kernel);
                    refHwc[(y * ow + x) * c + ch] = s / (kernel * kernel);
                }
            }
        }
        FloatArray out = TestArrays.nans((long) c * oh * ow);
        Pool.avgPool2dChw(chw, out, c, h, w, kernel, stride);
        assertThat(TestArrays.nmse(refChw, out)).isLessThan(1e-12);
        Pool.avgPool2dHwc(hwc, out, c, h, w, kernel, stride);
        assertThat(TestArrays.nmse(refHwc, out)).isLessThan(1e-12);
    }
}
