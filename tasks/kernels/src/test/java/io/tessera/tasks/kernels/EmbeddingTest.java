package io.tessera.tasks.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.kernels.TestWeights.Type;

class EmbeddingTest {

    @ParameterizedTest(name = "{0} vocab={1} dim={2}")
    @CsvSource({"F32, 1, 1", "F32, 11, 13", "F16, 9, 7", "BF16, 9, 40", "Q8_0, 1, 32", "Q8_0, 10, 96",
        "Q4_0, 1, 32", "Q4_0, 10, 160"})
    void rowsOfTheDecodedTableTimesTheScale(Type type, int vocab, int dim) {
        SplittableRandom rnd = TestArrays.random(vocab * 100L + dim + type.ordinal());
        TestWeights table = TestWeights.random(type, rnd, vocab, dim);
        int[] tokens = {vocab - 1, 0, vocab / 2, vocab - 1};
        float scale = 55.5f;
        double[] ref = new double[tokens.length * dim];
        for (int t = 0; t < tokens.length; t++) {
            for (int j = 0; j < dim; j++) {
                ref[t * dim + j] = scale * table.values()[tokens[t] * dim + j];
            }
        }
        FloatArray out = TestArrays.nans((long) tokens.length * dim);
        IntArray ids = IntArray.of(tokens);
        switch (type) {
            case F32 -> Embedding.embedF32((FloatArray) table.array(), ids, out, tokens.length, dim, scale);
            case F16 -> Embedding.embedF16((HalfArray) table.array(), ids, out, tokens.length, dim, scale);
            case BF16 -> Embedding.embedBF16((BFloat16Array) table.array(), ids, out, tokens.length, dim, scale);
            case Q8_0 -> Embedding.embedQ8_0((ByteArray) table.array(), ids, out, tokens.length, dim, scale);
            case Q4_0 -> Embedding.embedQ4_0((ByteArray) table.array(), ids, out, tokens.length, dim, scale);
        }
        // one float rounding of the product scale * value
        assertThat(TestArrays.nmse(ref, out)).isLessThan(1e-13);
    }
}
