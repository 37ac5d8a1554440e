package io.tessera.tasks.compiler.testkernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.api.BFloat16Array;
import io.tessera.tasks.api.ByteArray;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.HalfArray;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.LongArray;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ir.KernelIrStore;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * A test kernel with seeded arguments: the Java method run on the JVM is the reference that every
 * other form of the kernel is compared with.
 *
 * @param tolerance relative error allowed on float results (0: bit-identical)
 * @param global    the OpenCL grid to run on (smaller than the work, to exercise grid-stride loops)
 */
public record KernelCase(String name, Class<?> owner, String method, Function<Random, Object[]> arguments,
                         double tolerance, long[] global) {

    @Override
    public String toString() {
        return name;
    }

    public KernelIr ir() {
        return KernelIrStore.load(owner, method);
    }

    public Object[] arguments(long seed) {
        return arguments.apply(new Random(seed));
    }

    /** Runs the Java method itself on {@code args}. */
    public void runJava(Object[] args) {
        Method m = Arrays.stream(owner.getDeclaredMethods()).filter(x -> x.getName().equals(method)).findFirst()
                .orElseThrow();
        try {
            m.invoke(null, args);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("kernel " + name + " failed on the JVM", e);
        }
    }

    /** A deep copy of kernel arguments: typed arrays get new memory with the same contents. */
    public static Object[] copy(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof TypedArray a) {
                MemorySegment segment = java.lang.foreign.Arena.ofAuto().allocate(a.byteSize(), 64);
                segment.copyFrom(a.segment());
                out[i] = switch (a) {
                    case FloatArray f -> new FloatArray(segment);
                    case HalfArray h -> new HalfArray(segment);
                    case BFloat16Array b -> new BFloat16Array(segment);
                    case ByteArray b -> new ByteArray(segment);
                    case IntArray n -> new IntArray(segment);
                    case LongArray l -> new LongArray(segment);
                };
            }
        }
        return out;
    }

    /** Asserts every typed array of {@code actual} equals that of {@code expected}, floats within the tolerance. */
    public void assertSameResults(Object[] expected, Object[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] instanceof FloatArray e && tolerance > 0) {
                FloatArray a = (FloatArray) actual[i];
                for (long k = 0; k < e.length(); k++) {
                    float x = e.get(k);
                    float y = a.get(k);
                    double bound = tolerance * Math.max(1.0, Math.abs(x));
                    if (!(Float.isNaN(x) && Float.isNaN(y)) && !(Math.abs(x - y) <= bound)) {
                        throw new AssertionError(name + ": argument " + i + "[" + k + "] is " + y + ", expected " + x);
                    }
                }
            } else if (expected[i] instanceof HalfArray || expected[i] instanceof BFloat16Array) {
                // binary16 and bfloat16 NaNs may carry any payload; every other value must be identical
                TypedArray e = (TypedArray) expected[i];
                for (long k = 0; k < e.length(); k++) {
                    float x = reduced(e, k);
                    float y = reduced((TypedArray) actual[i], k);
                    if (Float.floatToIntBits(x) != Float.floatToIntBits(y)) {
                        throw new AssertionError(name + ": argument " + i + "[" + k + "] is " + y + ", expected " + x);
                    }
                }
            } else if (expected[i] instanceof TypedArray e) {
                byte[] want = e.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                byte[] got = ((TypedArray) actual[i]).segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                assertThat(got).as(name + ": argument " + i + " (" + e + ")").isEqualTo(want);
            }
        }
    }

    private static float reduced(TypedArray a, long k) {
        return a instanceof HalfArray h ? h.get(k) : ((BFloat16Array) a).get(k);
    }

    static FloatArray floats(Random r, int n, float scale) {
        FloatArray a = FloatArray.allocate(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (r.nextFloat() * 2 - 1) * scale);
        }
        return a;
    }

    static IntArray ints(Random r, int n, int bound) {
        IntArray a = IntArray.allocate(n);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextInt(-bound, bound));
        }
        return a;
    }
}
