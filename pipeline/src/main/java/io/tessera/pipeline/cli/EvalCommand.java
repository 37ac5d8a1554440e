package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.vision.MultimodalGenerator;
import io.tessera.tokenizer.Marker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/** {@code tessera eval}: the logits after every position of a prompt. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Run a prompt through the model and print the top logits after every position.",
            "", "JSON: {\"positions\":[{\"pos\":0,\"top\":[[id,logit],...]},...]}"})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    PromptOptions prompt;

    @Mixin
    MediaOptions media;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Logits per position (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    TesseraCli root;

    @Override
    public Integer call() {
        if (top <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top must be positive, not " + top);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (media.any() || media.mmproj != null) {
            return evalWithMedia(out, err);
        }
        try (Model model = modelOptions.load(err)) {
            int[] ids = prompt.ids(model, false);
            if (modelOptions.contextLength == null) {
                modelOptions.contextLength = Math.max(ids.length, 1);
            }
            try (Decoder decoder = modelOptions.decoder(model, root.backends(), true, err)) {
                print(ids, decoder.prefillAll(ids), out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * --prompt with --image, --audio and --video through the mmproj's encoders, as it is (raw, the
     * media markers in place): every text position has its logits; a media block has them after
     * its last soft token only. Soft-token positions show the id of the medium's placeholder token.
     */
    private int evalWithMedia(PrintWriter out, PrintWriter err) {
        MediaRun.check(spec.commandLine(), media);
        if (prompt.source.text == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "media need --prompt text, not --ids");
        }
        try (Model model = modelOptions.load(err);
             Decoder decoder = modelOptions.decoder(model, root.backends(), true, err);
             MediaRun run = MediaRun.open(spec.commandLine(), media, model, decoder, null, null, prompt.source.text)) {
            var p = run.prompt.prompt();
            float[][] logits = new MultimodalGenerator(decoder, model.tokenizer(), model.endTokens())
                    .prefillAll(p, run.images, run.audioChunks);
            int image = model.tokenizer().marker(Marker.IMAGE_SOFT_TOKEN).orElse(-1);
            int audio = model.tokenizer().marker(Marker.AUDIO_PLACEHOLDER).orElse(-1);
            print(p.ids(image, audio), logits, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The top logits of each position that has them. */
    private void print(int[] ids, float[][] logits, PrintWriter out) {
        List<Map<String, Object>> positions = new ArrayList<>();
        for (int p = 0; p < logits.length; p++) {
            if (logits[p] == null) {
                continue;
            }
            int[] best = topK(logits[p], Math.min(top, logits[p].length));
            if (json) {
                List<List<Number>> pairs = new ArrayList<>();
                for (int id : best) {
                    pairs.add(List.of(id, logits[p][id]));
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pos", p);
                row.put("top", pairs);
                positions.add(row);
            } else {
                StringBuilder line = new StringBuilder(String.format("pos %d (id %d):", p, ids[p]));
                for (int id : best) {
                    line.append(String.format(" %d:%.4f", id, logits[p][id]));
                }
                out.println(line);
            }
        }
        if (json) {
            out.println(JsonMapper.builder().build().writeValueAsString(Map.of("positions", positions)));
        }
    }

    /** Indices of the k largest values, largest first (smaller index first on ties). */
    static int[] topK(float[] v, int k) {
        int[] best = new int[k];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (n < k || v[i] > v[best[n - 1]]) {
                int at = Math.min(n, k - 1);
                while (at > 0 && v[i] > v[best[at - 1]]) {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = i;
                n = Math.min(n + 1, k);
            }
        }
        return best;
    }
}
