package io.tessera.tasks.runtime.opencl;

/** A built program and its one kernel object; launches on it are serialised by locking it. */
record ClProgram(long program, long kernel, String kernelName) {
}
