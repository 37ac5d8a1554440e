package io.tessera.tasks.api;

/**
 * The view of the index space that an explicit kernel receives as a parameter: ids and sizes per
 * dimension, work-group local memory and barriers. The kernel IR maps each method to the device's
 * built-in (OpenCL {@code get_global_id}, PTX {@code %tid}/{@code %ctaid}, SPIR-V built-ins).
 *
 * <p>Local arrays must be allocated at the top level of the kernel body with constant sizes, so that
 * every back end can place them statically.
 */
public interface KernelContext {
    int globalId(int dim);

    int localId(int dim);

    int groupId(int dim);

    int globalSize(int dim);

    int localSize(int dim);

    int numGroups(int dim);

    /** Work-group barrier over local memory (OpenCL {@code barrier(CLK_LOCAL_MEM_FENCE)}). */
    void localBarrier();

    /** Work-group barrier over global memory (OpenCL {@code barrier(CLK_GLOBAL_MEM_FENCE)}). */
    void globalBarrier();

    float[] allocateFloatLocalArray(int length);

    int[] allocateIntLocalArray(int length);
}
