/**
 * The task runtime: device discovery ({@code device}), one backend per device ({@code jvm},
 * {@code opencl} for OpenCL C and SPIR-V devices, {@code cuda}), kernel models from the stored IR
 * ({@code kernel}), SPIR-V module handling ({@code spirv}) and the plan executor ({@code plan})
 * that the API reaches through {@link io.tessera.tasks.api.spi.TaskRuntime}.
 *
 * <pre>
 *  ExecutionPlan ──ServiceLoader──▶ TesseraTaskRuntime ──▶ PlanRun (one per plan)
 *                                                            │ residency of each array
 *                                                            ▼
 *                                     GraphRun: consume ─▶ copy in ─▶ tasks ─▶ copy out
 *                                                            │
 *                                      Backends.of(selector) ▼
 *         JvmBackend (worker pool)  │  OpenClBackend (LWJGL; opencl:N OpenCL C,  │  CudaBackend (FFM
 *                                   │    spirv:N SPIR-V IL, spirv:pocl SPIR 1.2)  │    driver API, PTX)
 * </pre>
 *
 * <p>Caveats worth knowing:
 * <ul>
 *   <li>A task that may write an array (by the IR's stores; every array of a kernel without IR)
 *       leaves only its device with the current data; tasks of one graph on different devices
 *       move such arrays through the host. Arrays a task only reads stay current where they were.</li>
 *   <li>On the JVM, and for host-backed (zero-copy) buffers on CPU OpenCL devices, the device works
 *       on the host array itself: a host write is seen by the next kernel even when no transfer
 *       was declared. Declared transfers still count in the profile, with 0 bytes copied.</li>
 *   <li>OpenCL and CUDA kernels cannot take {@code bool} arguments; booleans are passed as int 0/1.</li>
 *   <li>Hand-written OpenCL C replaces generated code on {@code opencl} devices only; {@code spirv}
 *       and {@code cuda} devices always run what their back end emits from the kernel's IR.</li>
 *   <li>{@code spirv:PLATFORM} devices (e.g. {@code spirv:pocl}) ingest no SPIR-V: each module is
 *       translated by {@code llvm-spirv -r} (an installed tool, run once per specialisation) to
 *       SPIR 1.2 and built as a {@code cl_khr_spir} binary. They exist so that the SPIR-V back end
 *       runs end to end on CPU drivers; {@code spirv:N} devices take the module directly.</li>
 *   <li>Nothing falls back: a kernel that cannot be emitted, built or launched on its device is a
 *       {@link io.tessera.tasks.api.TaskExecutionException} naming task, kernel, device and line.</li>
 * </ul>
 */
package io.tessera.tasks.runtime;
