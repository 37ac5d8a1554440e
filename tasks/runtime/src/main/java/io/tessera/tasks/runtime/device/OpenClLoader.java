package io.tessera.tasks.runtime.device;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import java.util.Optional;
import org.lwjgl.system.Configuration;

/**
 * Points LWJGL at the system's OpenCL ICD loader before its first use. LWJGL looks only for the
 * development name {@code libOpenCL.so}, which runtime-only installs lack, and it prints to stderr
 * when loading fails; probing with {@code dlopen} first turns a missing loader into a reason.
 * LWJGL's FFM memory backend is chosen so that it does not call {@code sun.misc.Unsafe}.
 */
final class OpenClLoader {
    private OpenClLoader() {
    }

    static final List<String> CANDIDATES = List.of("libOpenCL.so.1", "libOpenCL.so");

    /** The loader's library name, or empty when none can be opened. */
    @SuppressWarnings("restricted")
    static synchronized Optional<String> configure() {
        if (System.getProperty("org.lwjgl.system.memoryBackend") == null) {
            Configuration.MEMORY_BACKEND.set("ffm");
        }
        String chosen = System.getProperty("org.lwjgl.opencl.libname");
        if (chosen != null) {
            return Optional.of(chosen);
        }
        for (String name : CANDIDATES) {
            try (Arena arena = Arena.ofConfined()) {
                SymbolLookup.libraryLookup(name, arena);
                Configuration.OPENCL_LIBRARY_NAME.set(name);
                return Optional.of(name);
            } catch (IllegalArgumentException e) {
                // not installed under this name; try the next
            }
        }
        return Optional.empty();
    }
}
