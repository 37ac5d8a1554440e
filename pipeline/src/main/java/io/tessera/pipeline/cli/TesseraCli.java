package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.pipeline.config.BackendsConfig;
import io.tessera.pipeline.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tessera} command: parses arguments, runs a subcommand, maps failures to exit codes. */
@Command(name = "tessera",
        mixinStandardHelpOptions = true,
        versionProvider = TesseraCli.Version.class,
        description = "Multimodal Gemma-family models on the JVM, OpenCL, CUDA and SPIR-V devices.",
        subcommands = {
            DemoCommand.class,
            DevicesCommand.class,
            EvalCommand.class,
            GenerateCommand.class,
            AskCommand.class,
            BenchCommand.class,
            RandomModelCommand.class,
            MediaCommand.class,
            SelftestCommand.class,
            CompileCommand.class,
            TokenizeCommand.class,
            DetokenizeCommand.class,
            EmbedCommand.class,
            RandomMmprojCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class TesseraCli implements Callable<Integer> {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure.")
    boolean debug;

    @Option(names = "--conf", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR",
            description = "Configuration directory (default: conf/ of the installation).")
    Path confDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }

    /** The backend configuration of this run (conf/backends.yaml). */
    BackendsConfig backends() {
        return ConfigLoader.backends(confDir());
    }

    Path confDir() {
        if (confDir != null) {
            return confDir;
        }
        String home = System.getenv("TESSERA_HOME");
        return Path.of(home == null ? "." : home).resolve("conf");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on stdout/stderr and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        TesseraCli root = new TesseraCli();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorReporter(() -> root.debug));
        cli.setParameterExceptionHandler(ErrorReporter::usage);
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TesseraCli.class.getPackage().getImplementationVersion();
            return new String[] {"tessera " + (v == null ? "(development build)" : v)
                    + " on Java " + Runtime.version()};
        }
    }
}
