package io.tessera.tasks.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles a kernel class in-process without the kernel plugin, so that it has no IR. */
final class PlainCompiler {
    private PlainCompiler() {
    }

    static Method kernel(String className, String source, String method) {
        try {
            Path dir = Files.createTempDirectory("tessera-plain");
            Path file = dir.resolve(className + ".java");
            Files.writeString(file, source);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-proc:none", "-d", dir.toString(),
                    "-cp", System.getProperty("java.class.path"), file.toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed on " + className);
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, PlainCompiler.class.getClassLoader());
            for (Method m : loader.loadClass(className).getMethods()) {
                if (m.getName().equals(method)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(className + " has no method " + method);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

}
