package io.tessera.pipeline.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The contents of {@code conf/backends.yaml}: which device a command uses when none is given, the
 * order {@code --backend auto} tries, and per-backend settings.
 *
 * @param defaultSelector   device selector used when a command has no {@code --backend}
 * @param preferences       selectors tried in order by {@code --backend auto}
 * @param jvm               JVM backend settings
 * @param opencl            OpenCL backend settings
 */
public record BackendsConfig(@JsonProperty("default") String defaultSelector, List<String> preferences, Jvm jvm, OpenCl opencl) {

    private static final Pattern SELECTOR = Pattern.compile("jvm|auto|(opencl|cuda|spirv):[A-Za-z0-9_-]+");

    public BackendsConfig {
        defaultSelector = requireSelector(defaultSelector == null ? "jvm" : defaultSelector, "default");
        preferences = List.copyOf(preferences == null ? List.of("cuda:0", "opencl:0", "jvm") : preferences);
        for (String p : preferences) {
            requireSelector(p, "preferences");
        }
        jvm = jvm == null ? new Jvm(0) : jvm;
        opencl = opencl == null ? new OpenCl("-cl-std=CL1.2", List.of()) : opencl;
    }

    /** The built-in defaults, identical to the shipped {@code conf/backends.yaml}. */
    public static BackendsConfig defaults() {
        return new BackendsConfig(null, null, null, null);
    }

    /** @param threads worker threads; 0 means one per available core */
    public record Jvm(int threads) {
        public Jvm {
            if (threads < 0 || threads > 4096) {
                throw new IllegalArgumentException("threads must be between 0 and 4096, not " + threads);
            }
        }

        public int effectiveThreads() {
            return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        }
    }

    /**
     * @param buildOptions      options given to clBuildProgram
     * @param disabledPlatforms platform aliases to ignore
     */
    public record OpenCl(String buildOptions, List<String> disabledPlatforms) {
        public OpenCl {
            buildOptions = Objects.requireNonNullElse(buildOptions, "");
            disabledPlatforms = List.copyOf(Objects.requireNonNullElse(disabledPlatforms, List.of()));
        }
    }

    private static String requireSelector(String s, String key) {
        if (!SELECTOR.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a device selector (jvm, auto, opencl:N, "
                    + "opencl:ALIAS, cuda:N, spirv:N) in " + key);
        }
        return s;
    }
}
