package io.tessera.tasks.runtime.jvm;

import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.kernel.KernelModel;
import io.tessera.tasks.runtime.kernel.SlicedKernel;

/** How the JVM runs one kernel. */
sealed interface JvmKernel extends PreparedKernel {
    @Override
    default long compileNanos() {
        return 0;
    }

    /** Dimension 0 split over the pool; {@code slices} is the {@code (args..., from, to)} form. */
    record Sliced(KernelModel model, SlicedKernel slices, String form) implements JvmKernel {
    }

    /** The method itself, called once on the calling thread (no parallel structure known). */
    record Whole(Invoker method) implements JvmKernel {
    }

    /** A KernelContext kernel, called once per work-item. */
    record Explicit(Invoker method, int contextIndex, boolean barriers) implements JvmKernel {
    }
}
