package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.tessera.media.MediaFormatException;
import io.tessera.pipeline.config.ConfigException;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.pipeline.gguf.GgufFormatException;
import io.tessera.pipeline.model.ModelFormatException;
import io.tessera.pipeline.safetensors.SafetensorsFormatException;
import io.tessera.pipeline.vision.MmprojFormatException;
import io.tessera.tasks.runtime.device.UnknownDeviceException;
import io.tessera.tokenizer.TokenizerFormatException;
import picocli.CommandLine;

/**
 * Turns a failure into one line on stderr and an exit code: {@link ExitCodes#BAD_INPUT} for a bad
 * input file, {@link ExitCodes#FAILURE} for everything else. With {@code --debug} the stack trace follows.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    /** Failures that mean "this input file is wrong" (subclasses included). */
    private static final List<Class<? extends Exception>> BAD_INPUT = List.of(
            ConfigException.class, GgufFormatException.class, TokenizerFormatException.class,
            MediaFormatException.class, ModelFormatException.class, MmprojFormatException.class,
            PromptException.class, NoSuchFileException.class, AccessDeniedException.class,
            SafetensorsFormatException.class);

    /** Failures that mean "the command line names something that does not exist". */
    private static final List<Class<? extends Exception>> USAGE = List.of(UnknownDeviceException.class);

    private final BooleanSupplier debug;

    ErrorReporter(BooleanSupplier debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        err.println("tessera: error: " + message(e));
        if (debug.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
        if (causedBy(e, USAGE)) {
            return ExitCodes.USAGE;
        }
        return causedBy(e, BAD_INPUT) ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
    }

    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("tessera: " + e.getMessage());
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    static boolean causedBy(Throwable e, List<Class<? extends Exception>> kinds) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Exception> kind : kinds) {
                if (kind.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
