/**
 * The task runtime: device discovery ({@code device}), one backend per device ({@code jvm},
 * {@code opencl}), kernel models from the stored IR ({@code kernel}) and the plan executor
 * ({@code plan}) that the API reaches through {@link io.tessera.tasks.api.spi.TaskRuntime}.
 *
 * <pre>
 *  ExecutionPlan ──ServiceLoader──▶ TesseraTaskRuntime ──▶ PlanRun (one per plan)
 *                                                            │ residency of each array
 *                                                            ▼
 *                                     GraphRun: consume ─▶ copy in ─▶ tasks ─▶ copy out
 *                                                            │
 *                                      Backends.of(selector) ▼
 *                                  JvmBackend (worker pool)  │  OpenClBackend (LWJGL)
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
 *   <li>OpenCL kernels cannot take {@code bool} arguments; booleans are passed as int 0/1.</li>
 *   <li>Nothing falls back: a kernel that cannot be emitted, built or launched on its device is a
 *       {@link io.tessera.tasks.api.TaskExecutionException} naming task, kernel, device and line.</li>
 * </ul>
 */
package io.tessera.tasks.runtime;
