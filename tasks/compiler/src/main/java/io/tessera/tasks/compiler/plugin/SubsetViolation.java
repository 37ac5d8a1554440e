package io.tessera.tasks.compiler.plugin;

import com.sun.source.tree.Tree;

/** A construct outside the kernel subset, reported as a javac error on {@link #tree()}. */
final class SubsetViolation extends RuntimeException {
    private final transient Tree tree;

    SubsetViolation(Tree tree, String reason) {
        super(reason, null, false, false);
        this.tree = tree;
    }

    /** A failure whose cause was reported already (an invalid helper); nothing more is said. */
    static SubsetViolation alreadyReported() {
        return new SubsetViolation(null, "reported");
    }

    /** The offending tree; null when the violation was {@linkplain #alreadyReported() reported}. */
    Tree tree() {
        return tree;
    }
}
