package io.tessera.media;

import java.util.Arrays;

/**
 * A dense row-major float tensor, as the model receives it.
 *
 * @param shape dimensions, outermost first
 */
public record FloatTensor(int[] shape, float[] data) {
    public FloatTensor {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** min, max, mean and standard deviation of all values. */
    public Stats stats() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSq = 0;
        for (float v : data) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSq += (double) v * v;
        }
        int n = data.length;
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
        return new Stats(n == 0 ? 0 : min, n == 0 ? 0 : max, mean, Math.sqrt(var));
    }

    public record Stats(double min, double max, double mean, double std) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "min %.6g max %.6g mean %.6g std %.6g", min, max, mean, std);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
