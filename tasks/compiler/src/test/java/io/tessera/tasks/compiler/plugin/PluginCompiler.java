package io.tessera.tasks.compiler.plugin;

import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources in-process with {@code -Xplugin:TesseraKernels}, as a kernel module's build does. */
final class PluginCompiler {

    /** One error javac reported: its message and line. */
    record Error(String message, long line) {
    }

    /** The outcome of a compilation: whether it succeeded, its errors and where its classes went. */
    record Result(boolean success, List<Error> errors, Path classes) {
        /** The IR the plugin wrote for {@code ownerClass.method}. */
        KernelIr ir(String ownerClass, String method) {
            Path file = classes.resolve(KernelIrStore.resourceName(ownerClass, method));
            try {
                return KernelIrStore.decode(Files.readAllBytes(file), ownerClass + "." + method);
            } catch (IOException e) {
                throw new UncheckedIOException("no IR at " + file + "; errors: " + errors, e);
            }
        }
    }

    private PluginCompiler() {
    }

    /** Compiles {@code sources} (binary class name to source text) into a fresh temporary directory. */
    static Result compile(Map<String, String> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Path out = Files.createTempDirectory("tessera-plugin-test");
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, text) -> units.add(new Source(name, text)));
            List<String> options = List.of("-Xplugin:TesseraKernels", "-d", out.toString(),
                    "-classpath", System.getProperty("java.class.path"), "-proc:none", "-Xlint:all");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
            List<Error> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> new Error(d.getMessage(Locale.ROOT), d.getLineNumber()))
                    .toList();
            return new Result(ok, errors, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result compile(String className, String source) {
        return compile(Map.of(className, source));
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
