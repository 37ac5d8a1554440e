package io.tessera.tasks.api;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named sequence of tasks with the transfers around them, built like TornadoVM's:
 *
 * <pre>{@code
 * TaskGraph graph = new TaskGraph("layer")
 *         .transferToDevice(DataTransferMode.FIRST_EXECUTION, weights)
 *         .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
 *         .task("matvec", MatVec::matVecF32, weights, x, y, rows, cols)
 *         .transferToHost(DataTransferMode.EVERY_EXECUTION, y);
 * ImmutableTaskGraph frozen = graph.snapshot();
 * }</pre>
 *
 * <p>Kernels are given as method references to {@link Kernel} methods; each is resolved and its
 * arguments are checked against the method's parameters when the task is added. Arrays a task uses
 * that are neither transferred to the device nor consumed from it get a device buffer whose
 * contents are not copied from the host.
 *
 * <p>Buffers named by {@link #persistOnDevice} stay on their device after the graph runs, even
 * after its plan is closed; a later graph (in the same plan or another) names them in
 * {@link #consumeFromDevice} and uses them without a copy.
 */
public final class TaskGraph {
    /** The argument to pass for a {@link KernelContext} parameter; the runtime supplies the context. */
    public static final KernelContext KERNEL_CONTEXT = new ContextPlaceholder();

    private final String name;
    private final List<TransferSpec> toDevice = new ArrayList<>();
    private final List<TaskSpec> tasks = new ArrayList<>();
    private final List<TransferSpec> toHost = new ArrayList<>();
    private final Set<TypedArray> consumed = identitySet();
    private final Set<TypedArray> persisted = identitySet();

    public TaskGraph(String name) {
        this.name = checkName("graph", name);
    }

    public String name() {
        return name;
    }

    public TaskGraph transferToDevice(DataTransferMode mode, TypedArray... arrays) {
        for (TypedArray a : nonNull(arrays)) {
            if (consumed.contains(a)) {
                throw new TaskGraphException("graph " + name + ": " + a + " is consumed from the device and "
                        + "cannot also be transferred to it");
            }
            if (toDevice.stream().anyMatch(t -> t.array() == a)) {
                throw new TaskGraphException("graph " + name + ": " + a + " is already transferred to the device");
            }
            toDevice.add(new TransferSpec(mode, a));
        }
        return this;
    }

    public TaskGraph transferToHost(DataTransferMode mode, TypedArray... arrays) {
        for (TypedArray a : nonNull(arrays)) {
            if (toHost.stream().anyMatch(t -> t.array() == a)) {
                throw new TaskGraphException("graph " + name + ": " + a + " is already transferred to the host");
            }
            toHost.add(new TransferSpec(mode, a));
        }
        return this;
    }

    /** Arrays that an earlier graph left on the device ({@link #persistOnDevice}); used without a copy. */
    public TaskGraph consumeFromDevice(TypedArray... arrays) {
        for (TypedArray a : nonNull(arrays)) {
            if (toDevice.stream().anyMatch(t -> t.array() == a)) {
                throw new TaskGraphException("graph " + name + ": " + a + " is transferred to the device and "
                        + "cannot also be consumed from it");
            }
            consumed.add(a);
        }
        return this;
    }

    /** Arrays whose device buffers outlive this graph's plan, for later graphs to consume. */
    public TaskGraph persistOnDevice(TypedArray... arrays) {
        persisted.addAll(nonNull(arrays));
        return this;
    }

    /** A task whose kernel is known only at run time; its arguments are checked as for method references. */
    public TaskGraph task(String name, Method kernel, Object... arguments) {
        String task = this.name + "." + checkName("task", name);
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.isAnnotationPresent(Kernel.class)) {
            throw new TaskGraphException("task " + task + ": " + kernel.getDeclaringClass().getName() + "::"
                    + kernel.getName() + " is not annotated @Kernel");
        }
        return add(task, kernel, arguments.clone());
    }

    public <T1> TaskGraph task(String name, Task1<T1> kernel, T1 a1) {
        return add(name, kernel, new Object[] {a1});
    }

    public <T1, T2> TaskGraph task(String name, Task2<T1, T2> kernel, T1 a1, T2 a2) {
        return add(name, kernel, new Object[] {a1, a2});
    }

    public <T1, T2, T3> TaskGraph task(String name, Task3<T1, T2, T3> kernel, T1 a1, T2 a2, T3 a3) {
        return add(name, kernel, new Object[] {a1, a2, a3});
    }

    public <T1, T2, T3, T4> TaskGraph task(String name, Task4<T1, T2, T3, T4> kernel, T1 a1, T2 a2, T3 a3, T4 a4) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4});
    }

    public <T1, T2, T3, T4, T5> TaskGraph task(String name, Task5<T1, T2, T3, T4, T5> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5});
    }

    public <T1, T2, T3, T4, T5, T6> TaskGraph task(String name, Task6<T1, T2, T3, T4, T5, T6> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6});
    }

    public <T1, T2, T3, T4, T5, T6, T7> TaskGraph task(String name, Task7<T1, T2, T3, T4, T5, T6, T7> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8> TaskGraph task(String name, Task8<T1, T2, T3, T4, T5, T6, T7, T8> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9> TaskGraph task(String name, Task9<T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> TaskGraph task(String name, Task10<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> TaskGraph task(String name, Task11<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> TaskGraph task(String name, Task12<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> TaskGraph task(String name, Task13<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> TaskGraph task(String name, Task14<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> TaskGraph task(String name, Task15<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15});
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> TaskGraph task(String name, Task16<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> kernel, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) {
        return add(name, kernel, new Object[] {a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16});
    }

    private TaskGraph add(String name, Serializable kernel, Object[] arguments) {
        String task = this.name + "." + checkName("task", name);
        return add(task, KernelReference.resolve(task, kernel), arguments);
    }

    private TaskGraph add(String task, Method kernel, Object[] arguments) {
        String simple = task.substring(name.length() + 1);
        if (tasks.stream().anyMatch(t -> t.name().equals(simple))) {
            throw new TaskGraphException("graph " + name + " already has a task named " + simple);
        }
        tasks.add(new TaskSpec(name, simple, kernel, TaskArguments.check(task, kernel, arguments)));
        return this;
    }

    /** An immutable copy of the graph as it is now, for execution plans. */
    public ImmutableTaskGraph snapshot() {
        if (tasks.isEmpty()) {
            throw new TaskGraphException("graph " + name + " has no tasks");
        }
        return new ImmutableTaskGraph(name, toDevice, tasks, toHost, List.copyOf(consumed), List.copyOf(persisted));
    }

    private static String checkName(String what, String name) {
        Objects.requireNonNull(name, what + " name");
        if (name.isEmpty() || name.indexOf('.') >= 0 || name.chars().anyMatch(Character::isWhitespace)) {
            throw new TaskGraphException(what + " name '" + name + "' must be non-empty, without dots or spaces");
        }
        return name;
    }

    private static List<TypedArray> nonNull(TypedArray[] arrays) {
        for (int i = 0; i < arrays.length; i++) {
            Objects.requireNonNull(arrays[i], "array " + i);
        }
        return List.of(arrays);
    }

    private static Set<TypedArray> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    @Override
    public String toString() {
        return "TaskGraph " + name + " (" + tasks.size() + " tasks)";
    }
}
