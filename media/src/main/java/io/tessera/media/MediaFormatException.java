package io.tessera.media;

/**
 * A media input that cannot be read: the input's name and what is wrong with it. The CLI maps this
 * class to its own exit code and prints {@link #getMessage()} as one line.
 */
public class MediaFormatException extends RuntimeException {
    private final String input;
    private final String problem;

    public MediaFormatException(String input, String problem) {
        this(input, problem, null);
    }

    public MediaFormatException(String input, String problem, Throwable cause) {
        super(input + ": " + problem, cause);
        this.input = input;
        this.problem = problem;
    }

    /** The file name, data URL label or caller-given name of the input. */
    public String input() {
        return input;
    }

    /** What is wrong, without the input's name. */
    public String problem() {
        return problem;
    }
}
