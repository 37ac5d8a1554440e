package io.tessera.pipeline.cli;

import io.tessera.pipeline.gguf.GgufFormatException;
import io.tessera.pipeline.gguf.ModelTokenizers;
import io.tessera.tokenizer.Tokenizer;
import io.tessera.tokenizer.TokenizerFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera detokenize}: token ids to text. Exit codes: 0 ok, 1 runtime failure, 2 usage error
 * (including ids outside the vocabulary), 3 bad model/tokenizer file.
 */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Decode token ids to text with the tokenizer of a GGUF model, tokenizer.json or tokenizer.model.")
public final class DetokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "GGUF model, tokenizer.json or tokenizer.model (detected by content).")
    Path model;

    @Option(names = "--skip-special", description = "Leave out control tokens such as <bos>.")
    boolean skipSpecial;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Token ids.")
    List<Integer> ids;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tokenizer tokenizer;
        try {
            tokenizer = ModelTokenizers.load(model);
        } catch (GgufFormatException | TokenizerFormatException e) {
            err.println("tessera detokenize: " + e.getMessage());
            return TokenizeCommand.EXIT_BAD_INPUT;
        } catch (RuntimeException e) {
            err.println("tessera detokenize: " + e);
            return 1;
        }
        int size = tokenizer.vocabulary().size();
        int[] array = new int[ids.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = ids.get(i);
            if (array[i] < 0 || array[i] >= size) {
                throw new ParameterException(spec.commandLine(), "token id " + array[i]
                        + " is outside the vocabulary of " + model + " (" + size + " tokens)");
            }
        }
        out.println(tokenizer.decode(array, skipSpecial));
        out.flush();
        return 0;
    }
}
