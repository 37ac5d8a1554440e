/**
 * The kernel library: plain static Java methods annotated {@link io.tessera.tasks.api.Kernel},
 * grouped by operation, never by model. Each method body is the reference; hot kernels name a
 * Vector API form through {@code @Kernel(jvm = ...)} that the JVM backend prefers, with the
 * kernel's parameters followed by {@code int from, int to} (a range of dimension-0 iterations).
 *
 * <p>Conventions for every kernel: parameters are inputs, then outputs, then sizes, then scalar
 * options; shapes are given row-major as {@code [outer][inner]} and every array is a flat typed
 * array of at least that many elements. Weight matrices are stored {@code [n rows][k]} and compute
 * {@code y = W x}; the weight type is a name suffix ({@code matVecQ8_0}). Element offsets that can
 * exceed {@code 2^31} (weight rows, byte offsets of quantised blocks) are computed in {@code long}.
 */
package io.tessera.tasks.kernels;
