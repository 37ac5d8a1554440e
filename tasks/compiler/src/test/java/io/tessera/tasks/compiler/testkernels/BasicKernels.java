package io.tessera.tasks.compiler.testkernels;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.Kernel;
import io.tessera.tasks.api.KernelMath;
import io.tessera.tasks.api.LongArray;
import io.tessera.tasks.api.Parallel;

/** Kernels over float, int and long arrays that exercise the arithmetic of the subset. */
public final class BasicKernels {
    static final int UNROLL = 4;
    static final float HALF = 0.5f;

    private BasicKernels() {
    }

    @Kernel
    public static void saxpy(float alpha, FloatArray x, FloatArray y) {
        for (@Parallel int i = 0; i < y.length(); i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }

    /** Integer semantics: {@code >>>}, {@code >>}, {@code %} and {@code /} of negatives, masking, overflow. */
    @Kernel
    public static void integerOps(IntArray in, IntArray out, int shift) {
        for (@Parallel int i = 0; i < in.length(); i++) {
            int v = in.get(i);
            int r = (v >>> shift) ^ (v >> (shift + 1));
            r += v % 7 + v / 3;
            r ^= ~v & 0xFF00;
            r += (v << 3) | (i & 1);
            r -= i > 2 ? Math.abs(v) % 5 : Math.max(v, -v) / 9;
            out.set(i, r);
        }
    }

    /** Long indices and long arithmetic, with an int loop variable compared against a long length. */
    @Kernel
    public static void longOps(LongArray in, LongArray out, long offset) {
        for (@Parallel long i = 0; i < in.length(); i++) {
            long v = in.get(i) + offset;
            long r = (v >>> 7) + (v >> 3) * 31L + v % 1000003L;
            r = Math.min(r, Long.MAX_VALUE - i) ^ (r << 17);
            out.set(i, r + (int) (v & 0xFFFF));
        }
    }

    /** Float math through Math and KernelMath, ternaries, casts (saturating in Java). */
    @Kernel
    public static void floatOps(FloatArray in, FloatArray out, IntArray truncated) {
        for (@Parallel int i = 0; i < in.length(); i++) {
            float x = in.get(i);
            float a = KernelMath.exp(-x * x) + (float) Math.sqrt(Math.abs(x)) + KernelMath.tanh(x) * HALF;
            float b = x > 0 ? KernelMath.log(x + 1.0f) : KernelMath.sin(x) * KernelMath.cos(x);
            float c = Math.max(a, b) - Math.min(a, -b) + KernelMath.fma(a, b, 1.5f) + KernelMath.rsqrt(a + 2.0f);
            out.set(i, c + KernelMath.floor(x * 3.0f) + (float) Math.ceil(x) + Math.round(x * 2.0f));
            truncated.set(i, (int) (x * 1.0e9f) + (int) (long) (x * 3.5f));
        }
    }

    /** A 2-D parallel nest: out[r, c] = sum_k a[r, k] * b[k, c]. */
    @Kernel
    public static void matmul(FloatArray a, FloatArray b, FloatArray out, int rows, int inner, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int c = 0; c < cols; c++) {
                float sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum += a.get((long) r * inner + k) * b.get((long) k * cols + c);
                }
                out.set((long) r * cols + c, sum);
            }
        }
    }

    /** Sequential control flow: while, do-while, break, continue, private arrays. */
    @Kernel
    public static void controlFlow(IntArray in, IntArray out) {
        for (@Parallel int i = 0; i < in.length(); i++) {
            int v = in.get(i);
            int steps = 0;
            while (v != 1 && steps < 50) {
                v = (v & 1) == 0 ? v / 2 : 3 * v + 1;
                steps++;
            }
            int[] digits = new int[UNROLL * 2];
            int n = in.get(i) < 0 ? -in.get(i) : in.get(i);
            int count = 0;
            do {
                digits[count % digits.length] += n % 10;
                n /= 10;
                count++;
            } while (n > 0);
            int acc = 0;
            for (int k = 0; k < digits.length; k++) {
                if (digits[k] == 0) {
                    continue;
                }
                if (k > 5) {
                    break;
                }
                acc = acc * 3 + digits[k];
            }
            boolean odd = (steps & 1) != 0;
            out.set(i, odd ? acc : -acc + steps);
        }
    }
}
