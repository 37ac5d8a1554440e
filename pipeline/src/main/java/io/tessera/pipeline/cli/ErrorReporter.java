package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.tessera.pipeline.config.ConfigException;
import picocli.CommandLine;

/**
 * Turns a failure into one line on stderr and an exit code: {@link ExitCodes#BAD_INPUT} for a bad
 * input file, {@link ExitCodes#FAILURE} for everything else. With {@code --debug} the stack trace follows.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    /**
     * Exceptions that mean "this input file is wrong", by simple class name, so that the mapping
     * needs no compile-time dependency on each format module's exception type.
     */
    private static final Set<String> BAD_INPUT = Set.of(
            "GgufFormatException", "SafetensorsFormatException", "TokenizerFormatException",
            "MediaFormatException", "ModelFormatException", "BadInputException", "PromptException");

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
        return isBadInput(e) ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
    }

    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("tessera: " + e.getMessage());
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    static boolean isBadInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException || t instanceof NoSuchFileException
                    || t instanceof AccessDeniedException || BAD_INPUT.contains(t.getClass().getSimpleName())) {
                return true;
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
