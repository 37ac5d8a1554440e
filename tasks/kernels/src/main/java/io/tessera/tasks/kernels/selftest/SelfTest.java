package io.tessera.tasks.kernels.selftest;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.tessera.tasks.api.DataTransferMode;
import io.tessera.tasks.api.Device;
import io.tessera.tasks.api.ExecutionPlan;
import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.GridScheduler;
import io.tessera.tasks.api.IntArray;
import io.tessera.tasks.api.TaskGraph;
import io.tessera.tasks.api.TypedArray;
import io.tessera.tasks.api.UnsupportedFeatureException;

/**
 * Runs kernel cases on devices and compares each with its JVM reference: the plain Java body of
 * the kernel, called directly, or, for kernels with a {@code KernelContext}, the JVM backend's run.
 * Outputs are the arrays the reference changed; they are compared by normalised mean squared
 * error (sum (a - r)^2 / sum r^2). Every other array must come back bit-identical.
 */
public final class SelfTest {

    /**
     * The outcome of one kernel at one shape on one device. {@code error} is null unless it failed to
     * run; {@code unsupported} is null unless the device lacks a capability the kernel needs (then
     * the check is neither passed nor failed).
     */
    public record Result(String kernel, String shape, String device, double nmse, double tolerance, String error,
                         String unsupported) {
        public Result(String kernel, String shape, String device, double nmse, double tolerance, String error) {
            this(kernel, shape, device, nmse, tolerance, error, null);
        }

        public boolean passed() {
            return unsupported == null && error == null && nmse <= tolerance;
        }

        public boolean failed() {
            return unsupported == null && !passed();
        }
    }

    private SelfTest() {
    }

    public static List<Result> run(List<KernelCase> cases, List<Device> devices, Consumer<Result> progress) {
        List<Result> results = new ArrayList<>();
        for (KernelCase c : cases) {
            for (KernelCase.Shape shape : c.shapes()) {
                long seed = (c.name() + "/" + shape.label()).hashCode();
                Object[] reference;
                String referenceError = null;
                try {
                    reference = reference(c, shape, seed);
                } catch (RuntimeException e) {
                    reference = null;
                    referenceError = "reference failed: " + message(e);
                }
                for (Device d : devices) {
                    Result r = referenceError != null
                            ? new Result(c.name(), shape.label(), d.selector(), Double.NaN, c.tolerance(), referenceError)
                            : compare(c, shape, seed, reference, d);
                    results.add(r);
                    progress.accept(r);
                }
            }
        }
        return results;
    }

    private static Result compare(KernelCase c, KernelCase.Shape shape, long seed, Object[] reference, Device device) {
        Object[] before = shape.arguments().apply(new CaseInputs(seed));
        Object[] args = shape.arguments().apply(new CaseInputs(seed));
        try {
            onDevice(c, shape, args, device);
        } catch (UnsupportedFeatureException e) {
            return new Result(c.name(), shape.label(), device.selector(), Double.NaN, c.tolerance(), null, message(e));
        } catch (RuntimeException e) {
            return new Result(c.name(), shape.label(), device.selector(), Double.NaN, c.tolerance(), message(e));
        }
        double err = 0;
        double norm = 0;
        for (int i = 0; i < args.length; i++) {
            if (!(args[i] instanceof TypedArray)) {
                continue;
            }
            float[] got = values(args[i]);
            float[] want = values(reference[i]);
            if (Arrays.equals(values(before[i]), want)) {
                if (!Arrays.equals(got, want)) {
                    return new Result(c.name(), shape.label(), device.selector(), Double.NaN, c.tolerance(),
                            "argument " + i + " is an input but the device changed it");
                }
                continue;
            }
            for (int j = 0; j < want.length; j++) {
                if (Float.compare(got[j], want[j]) == 0) {
                    norm += Float.isFinite(want[j]) ? (double) want[j] * want[j] : 0;
                    continue;
                }
                double dlt = (double) got[j] - want[j];
                err += dlt * dlt;
                norm += (double) want[j] * want[j];
            }
        }
        double nmse = norm == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : err / norm;
        if (Double.isNaN(nmse)) {
            nmse = Double.POSITIVE_INFINITY;
        }
        return new Result(c.name(), shape.label(), device.selector(), nmse, c.tolerance(), null);
    }

    private static Object[] reference(KernelCase c, KernelCase.Shape shape, long seed) {
        Object[] args = shape.arguments().apply(new CaseInputs(seed));
        if (c.explicit()) {
            onDevice(c, shape, args, Device.jvm());
            return args;
        }
        try {
            c.kernel().invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + c.name(), e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return args;
    }

    private static void onDevice(KernelCase c, KernelCase.Shape shape, Object[] args, Device device) {
        TypedArray[] arrays = Arrays.stream(args).filter(TypedArray.class::isInstance)
                .map(TypedArray.class::cast).toArray(TypedArray[]::new);
        TaskGraph graph = new TaskGraph("selftest")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, arrays)
                .task("kernel", c.kernel(), args)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, arrays);
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(device)) {
            if (shape.grid() != null) {
                plan.withGridScheduler(new GridScheduler("selftest.kernel", shape.grid()));
            }
            plan.execute();
        }
    }

    private static float[] values(Object array) {
        return switch (array) {
            case FloatArray f -> f.toArray();
            case IntArray a -> {
                float[] v = new float[(int) a.length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = a.get(i);
                }
                yield v;
            }
            case TypedArray t -> {
                byte[] b = t.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                float[] v = new float[b.length];
                for (int i = 0; i < b.length; i++) {
                    v[i] = b[i];
                }
                yield v;
            }
            default -> throw new IllegalArgumentException("not an array: " + array);
        };
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        String line = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
