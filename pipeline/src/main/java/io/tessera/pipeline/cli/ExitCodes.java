package io.tessera.pipeline.cli;

/** Exit codes of the tessera command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed while running: a device, a driver, an internal error. */
    public static final int FAILURE = 1;
    /** The command line itself is wrong. */
    public static final int USAGE = 2;
    /** An input file (model, media, configuration) is missing or malformed. */
    public static final int BAD_INPUT = 3;

    private ExitCodes() {
    }
}
