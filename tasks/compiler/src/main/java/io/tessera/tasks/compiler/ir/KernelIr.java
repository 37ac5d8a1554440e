package io.tessera.tasks.compiler.ir;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The typed, structured IR of one {@code @Kernel} method, as the javac plugin lowered it: the
 * kernel function, the helper functions it calls (each once, by unique name) and where it came from.
 *
 * @param ownerClass        binary name of the declaring class ({@code a.b.C}, {@code a.b.C$Inner})
 * @param sourceFile        simple name of the Java source file
 * @param kernel            the kernel body; returns VOID
 * @param helpers           the helper functions called, directly or not, from the kernel
 * @param jvmImplementation the {@code @Kernel(jvm = ...)} method name, or empty
 */
public record KernelIr(String ownerClass, String sourceFile, Function kernel, List<Function> helpers,
                       String jvmImplementation) implements Serializable {

    public KernelIr {
        Objects.requireNonNull(ownerClass, "ownerClass");
        Objects.requireNonNull(sourceFile, "sourceFile");
        Objects.requireNonNull(kernel, "kernel");
        helpers = List.copyOf(helpers);
        Objects.requireNonNull(jvmImplementation, "jvmImplementation");
    }

    /** The Java method name of the kernel. */
    public String name() {
        return kernel.javaName();
    }

    /** {@code ownerClass.name}, as error messages name the kernel. */
    public String qualifiedName() {
        return ownerClass + "." + name();
    }

    public List<Param> params() {
        return kernel.params();
    }

    /** The source line of the kernel's declaration. */
    public int line() {
        return kernel.line();
    }

    /** The helper function named {@code name} (its unique IR name). */
    public Function helper(String name) {
        for (Function f : helpers) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("kernel " + qualifiedName() + " has no helper " + name);
    }

    /** The parallel loops of the kernel, one per dimension, outermost (dimension 0) first. */
    public List<ParallelLoop> parallelLoops() {
        List<ParallelLoop> loops = new ArrayList<>();
        IrNodes.forEachStmt(kernel.body(), s -> {
            if (s instanceof Stmt.ParallelFor p) {
                loops.add(new ParallelLoop(p.dimension(), p.var(), p.start(), p.bound(), p.line()));
            }
        });
        loops.sort(Comparator.comparingInt(ParallelLoop::dimension));
        return List.copyOf(loops);
    }

    /** The work-group local arrays of the kernel, in declaration order. */
    public List<ArrayVar> localArrays() {
        List<ArrayVar> arrays = new ArrayList<>();
        IrNodes.forEachStmt(kernel.body(), s -> {
            if (s instanceof Stmt.DeclareArray d && d.array().space() == ArrayVar.Space.LOCAL) {
                arrays.add(d.array());
            }
        });
        return List.copyOf(arrays);
    }

    /** True when the kernel takes a {@code KernelContext} (an explicit kernel). */
    public boolean usesContext() {
        return kernel.params().stream().anyMatch(p -> p instanceof Param.ContextParam);
    }

    /** True when the kernel contains a work-group barrier. */
    public boolean hasBarriers() {
        boolean[] found = {false};
        IrNodes.forEachStmt(kernel.body(), s -> found[0] |= s instanceof Stmt.Barrier);
        return found[0];
    }

    /**
     * The iteration count of each parallel dimension for the given arguments (Java order, the
     * {@code KernelContext} slot may be null): {@code max(0, bound - start)} per loop. Empty for a
     * kernel without parallel loops.
     */
    public long[] parallelIterations(Object[] args) {
        Evaluator evaluator = new Evaluator(args);
        List<ParallelLoop> loops = parallelLoops();
        long[] counts = new long[loops.size()];
        for (ParallelLoop loop : loops) {
            long start = evaluator.evaluateLong(loop.start());
            long bound = evaluator.evaluateLong(loop.bound());
            counts[loop.dimension()] = Math.max(0, bound - start);
        }
        return counts;
    }

    /** The IR in a readable, Java-like form. */
    @Override
    public String toString() {
        return new IrPrinter().print(this);
    }
}
