package io.tessera.tasks.api;

/**
 * Single-precision intrinsics of the kernel subset. Each maps to one device built-in; the Java
 * bodies define the reference semantics.
 */
public final class KernelMath {
    private KernelMath() {
    }

    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    public static float log(float x) {
        return (float) Math.log(x);
    }

    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    public static float rsqrt(float x) {
        return (float) (1.0 / Math.sqrt(x));
    }

    public static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    public static float sin(float x) {
        return (float) Math.sin(x);
    }

    public static float cos(float x) {
        return (float) Math.cos(x);
    }

    public static float pow(float x, float y) {
        return (float) Math.pow(x, y);
    }

    public static float fma(float a, float b, float c) {
        return Math.fma(a, b, c);
    }

    public static float floor(float x) {
        return (float) Math.floor(x);
    }
}
