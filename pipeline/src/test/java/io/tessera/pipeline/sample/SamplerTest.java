package io.tessera.pipeline.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Sampling rules checked against closed-form facts about small distributions. */
class SamplerTest {
    static final float[] LOGITS = {1f, 3f, 2f, 3f, -1f};

    static SamplingSettings sampling(float t, int k, float p, float minP, float penalty, long seed) {
        return new SamplingSettings(false, t, k, p, minP, penalty, 64, seed);
    }

    @Test
    void greedyTakesTheFirstLargest() {
        assertThat(new Sampler(SamplingSettings.greedyDecoding()).sample(LOGITS, new int[0], 0)).isEqualTo(1);
    }

    @Test
    void topKOfOneIsGreedy() {
        Sampler s = new Sampler(sampling(1f, 1, 1f, 0f, 1f, 7));
        for (int i = 0; i < 50; i++) {
            assertThat(s.sample(LOGITS, new int[0], 0)).isEqualTo(1);
        }
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        Sampler s = new Sampler(sampling(5f, 3, 1f, 0f, 1f, 3));
        for (int i = 0; i < 300; i++) {
            assertThat(s.sample(LOGITS, new int[0], 0)).isIn(1, 2, 3);
        }
    }

    @Test
    void frequenciesFollowTheSoftmax() {
        Sampler s = new Sampler(sampling(1f, 0, 1f, 0f, 1f, 11));
        int[] counts = new int[LOGITS.length];
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            counts[s.sample(LOGITS, new int[0], 0)]++;
        }
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            assertThat(counts[i] / (double) n).as("token %d", i).isCloseTo(Math.exp(LOGITS[i]) / z,
                    org.assertj.core.api.Assertions.within(0.01));
        }
    }

    @Test
    void topPStopsOnceTheMassIsReached() {
        // softmax of {3, 3, 2, 1, -1}: 0.3917, 0.3917, 0.1441, ...; p = 0.7 needs the two 3s only
        Sampler s = new Sampler(sampling(1f, 0, 0.7f, 0f, 1f, 5));
        for (int i = 0; i < 300; i++) {
            assertThat(s.sample(LOGITS, new int[0], 0)).isIn(1, 3);
        }
    }

    @Test
    void minPDropsUnlikelyTokens() {
        // relative to the top (e^3): e^2 / e^3 = 0.37 stays, e^1 / e^3 = 0.135 goes at min-p 0.2
        Sampler s = new Sampler(sampling(1f, 0, 1f, 0.2f, 1f, 9));
        for (int i = 0; i < 300; i++) {
            assertThat(s.sample(LOGITS, new int[0], 0)).isIn(1, 2, 3);
        }
    }

    @Test
    void repetitionPenaltyMovesTheArgMax() {
        SamplingSettings g = new SamplingSettings(true, 1f, 0, 1f, 0f, 2f, 64, 0);
        // tokens 1 and 3 were seen: 3 / 2 = 1.5 < 2, so token 2 wins
        assertThat(new Sampler(g).sample(LOGITS, new int[] {1, 3}, 2)).isEqualTo(2);
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        int[] a = new int[20];
        int[] b = new int[20];
        Sampler s1 = new Sampler(sampling(1f, 4, 0.95f, 0f, 1f, 42));
        Sampler s2 = new Sampler(sampling(1f, 4, 0.95f, 0f, 1f, 42));
        for (int i = 0; i < 20; i++) {
            a[i] = s1.sample(LOGITS, new int[0], 0);
            b[i] = s2.sample(LOGITS, new int[0], 0);
        }
        assertThat(a).containsExactly(b);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> sampling(0f, 0, 1f, 0f, 1f, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> sampling(1f, 0, 1.5f, 0f, 1f, 0)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> sampling(1f, -1, 1f, 0f, 1f, 0)).hasMessageContaining("top-k");
    }

    @Test
    void gemmaChatDefaults() {
        SamplingSettings s = SamplingSettings.gemmaChat(1);
        assertThat(s.temperature()).isEqualTo(1f);
        assertThat(s.topK()).isEqualTo(64);
        assertThat(s.topP()).isEqualTo(0.95f);
        assertThat(s.greedy()).isFalse();
    }
}
