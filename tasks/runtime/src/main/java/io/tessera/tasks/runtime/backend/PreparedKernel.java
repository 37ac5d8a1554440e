package io.tessera.tasks.runtime.backend;

/** A kernel made ready for one device; {@code compileNanos} is 0 when it came from the cache. */
public interface PreparedKernel {
    long compileNanos();
}
