package io.tessera.tasks.compiler.plugin;

import com.sun.source.util.JavacTask;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * Writes IR resources into javac's class output, beside the class files, through javac's own
 * file manager. A plugin has no public handle on it, so it is taken from the compiler's context;
 * that needs {@code com.sun.tools.javac.api} and {@code com.sun.tools.javac.util} exported to the
 * plugin ({@link #EXPORTS}).
 */
final class IrOutput {
    static final String EXPORTS = "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED "
            + "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED";

    private final JavaFileManager fileManager;
    private final String problem;

    private IrOutput(JavaFileManager fileManager, String problem) {
        this.fileManager = fileManager;
        this.problem = problem;
    }

    static IrOutput of(JavacTask task) {
        try {
            Object context = task.getClass().getMethod("getContext").invoke(task);
            Object manager = context.getClass().getMethod("get", Class.class).invoke(context, JavaFileManager.class);
            if (manager instanceof JavaFileManager m) {
                return new IrOutput(m, null);
            }
            return new IrOutput(null, "javac has no file manager");
        } catch (IllegalAccessException | InvocationTargetException | NoSuchMethodException | RuntimeException e) {
            return new IrOutput(null, "javac's file manager is not accessible (" + e + "); run javac with "
                    + EXPORTS + " (as -J options when javac is forked)");
        }
    }

    /** Why IR cannot be written, or null when it can. */
    String problem() {
        return problem;
    }

    void write(KernelIr ir, String packageName, FileObject sibling) throws IOException {
        FileObject file = fileManager.getFileForOutput(StandardLocation.CLASS_OUTPUT, packageName,
                KernelIrStore.relativeName(ir.ownerClass(), ir.name()), sibling);
        try (OutputStream out = file.openOutputStream()) {
            out.write(KernelIrStore.encode(ir));
        }
    }
}
