package io.tessera.pipeline.cli;

import io.tessera.pipeline.sample.SamplingSettings;
import picocli.CommandLine.Option;

/** Sampling options of the generating commands; unset ones take the Gemma chat defaults (spec/MODELS.md §7). */
final class SamplingOptions {
    @Option(names = "--greedy", description = "Arg-max decoding.")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Temperature (default 1.0).")
    Float temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens (default 64; 0: all).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling threshold (default 0.95).")
    Float topP;

    @Option(names = "--min-p", paramLabel = "M", description = "Drop tokens below M times the top probability (default 0).")
    Float minP;

    @Option(names = "--repeat-penalty", paramLabel = "R",
            description = "Repetition penalty over the last 64 tokens (default 1: none).")
    Float repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draws (default: random).")
    Long seed;

    SamplingSettings settings() {
        SamplingSettings d = SamplingSettings.gemmaChat(seed != null ? seed : System.nanoTime());
        return new SamplingSettings(greedy, temperature != null ? temperature : d.temperature(),
                topK != null ? topK : d.topK(), topP != null ? topP : d.topP(), minP != null ? minP : d.minP(),
                repetitionPenalty != null ? repetitionPenalty : d.repetitionPenalty(), d.penaltyWindow(), d.seed());
    }

    /**
     * The settings, arg-max when no sampling option is given: for models whose reference
     * generation is greedy (PaliGemma's HF model cards decode with {@code do_sample=False}).
     */
    SamplingSettings settingsGreedyByDefault() {
        SamplingSettings s = settings();
        boolean sampled = temperature != null || topK != null || topP != null || minP != null || seed != null;
        return greedy || sampled ? s : new SamplingSettings(true, s.temperature(), s.topK(), s.topP(), s.minP(),
                s.repetitionPenalty(), s.penaltyWindow(), s.seed());
    }
}
