package io.tessera.tasks.runtime.cuda;

import io.tessera.tasks.compiler.ptx.PtxEmitter.PtxKernel;
import io.tessera.tasks.runtime.backend.PreparedKernel;
import io.tessera.tasks.runtime.kernel.KernelModel;

/** A task's kernel loaded on one CUDA device: its PTX (with the argument list) and its {@code CUfunction}. */
record CudaPrepared(KernelModel model, PtxKernel ptx, long function, long compileNanos) implements PreparedKernel {
}
