package io.tessera.tasks.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskGraphTest {
    @Kernel
    public static void scale(FloatArray x, FloatArray y, float factor, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, x.get(i) * factor);
        }
    }

    @Kernel
    public static void widened(FloatArray x, long n, double d) {
        x.set(0, (float) (n + d));
    }

    @Kernel
    public static void explicit(KernelContext ctx, IntArray out) {
        out.set(ctx.globalId(0), 1);
    }

    public static void plain(FloatArray x) {
        x.set(0, 1f);
    }

    @Kernel
    public static int returnsValue(FloatArray x) {
        return (int) x.get(0);
    }

    @Kernel
    public static void takesJavaArray(float[] x) {
        x[0] = 1;
    }

    private final FloatArray x = FloatArray.allocate(8);
    private final FloatArray y = FloatArray.allocate(8);

    @Test
    void resolvesMethodReferencesToTheKernelMethod() throws NoSuchMethodException {
        ImmutableTaskGraph g = new TaskGraph("g")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("s", TaskGraphTest::scale, x, y, 2f, 8)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y)
                .snapshot();
        TaskSpec task = g.tasks().getFirst();
        assertThat(task.kernel()).isEqualTo(TaskGraphTest.class.getMethod("scale", FloatArray.class, FloatArray.class,
                float.class, int.class));
        assertThat(task.qualifiedName()).isEqualTo("g.s");
        assertThat(task.arguments()).containsExactly(x, y, 2f, 8);
        assertThat(g.describe()).contains("to device FIRST_EXECUTION FloatArray[8]")
                .contains("task     s = io.tessera.tasks.api.TaskGraphTest::scale")
                .contains("to host  EVERY_EXECUTION FloatArray[8]");
    }

    @Test
    void widensIntegerArgumentsLosslessly() {
        TaskSpec t = new TaskGraph("g").task("w", TaskGraphTest::widened, x, 3L, 1.5).snapshot().tasks().getFirst();
        assertThat(t.arguments()).containsExactly(x, 3L, 1.5);
        TaskSpec dynamic = new TaskGraph("g").task("w", t.kernel(), x, 3, 2).snapshot().tasks().getFirst();
        assertThat(dynamic.arguments()).containsExactly(x, 3L, 2.0);
    }

    @Test
    void contextArgumentBecomesThePlaceholder() {
        IntArray out = IntArray.allocate(4);
        TaskSpec t = new TaskGraph("g").task("e", TaskGraphTest::explicit, null, out).snapshot().tasks().getFirst();
        assertThat(t.arguments().getFirst()).isSameAs(TaskGraph.KERNEL_CONTEXT);
        assertThatThrownBy(() -> TaskGraph.KERNEL_CONTEXT.globalId(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsMethodsWithoutKernelAnnotation() {
        assertThatThrownBy(() -> new TaskGraph("g").task("p", TaskGraphTest::plain, x))
                .isInstanceOf(TaskGraphException.class)
                .hasMessage("task g.p: io.tessera.tasks.api.TaskGraphTest::plain is not annotated @Kernel");
    }

    @Test
    void rejectsLambdas() {
        Task1<FloatArray> lambda = a -> a.set(0, 2f);
        assertThatThrownBy(() -> new TaskGraph("g").task("l", lambda, x))
                .isInstanceOf(TaskGraphException.class).hasMessageContaining("task g.l: the kernel is a lambda expression");
    }

    @Test
    void rejectsNonVoidKernels() {
        Task1<FloatArray> ref = TaskGraphTest::returnsValue;
        assertThatThrownBy(() -> new TaskGraph("g").task("r", ref, x))
                .isInstanceOf(TaskGraphException.class).hasMessageContaining("must be static void");
    }

    @Test
    void rejectsWrongArgumentTypesNamingTheTaskAndParameter() throws NoSuchMethodException {
        var scale = TaskGraphTest.class.getMethod("scale", FloatArray.class, FloatArray.class, float.class, int.class);
        assertThatThrownBy(() -> new TaskGraph("g").task("s", scale, x, IntArray.allocate(8), 2f, 8))
                .isInstanceOf(TaskGraphException.class)
                .hasMessageContaining("task g.s: argument 1")
                .hasMessageContaining("expected FloatArray, got IntArray");
        assertThatThrownBy(() -> new TaskGraph("g").task("s", scale, x, y, 2.0, 8))
                .hasMessageContaining("argument 2").hasMessageContaining("expected float, got Double");
        assertThatThrownBy(() -> new TaskGraph("g").task("s", scale, x, y, 2f))
                .hasMessage("task g.s: kernel io.tessera.tasks.api.TaskGraphTest::scale takes 4 arguments, the task gives 3");
        assertThatThrownBy(() -> new TaskGraph("g").task("s", scale, x, null, 2f, 8))
                .hasMessageContaining("argument 1").hasMessageContaining("is null");
    }

    @Test
    void rejectsNonKernelParameterTypes() {
        Task1<float[]> ref = TaskGraphTest::takesJavaArray;
        assertThatThrownBy(() -> new TaskGraph("g").task("j", ref, new float[1]))
                .hasMessageContaining("parameter type [F is not a kernel parameter type");
    }

    @Test
    void rejectsDuplicateTasksAndBadNames() {
        TaskGraph g = new TaskGraph("g").task("s", TaskGraphTest::scale, x, y, 2f, 8);
        assertThatThrownBy(() -> g.task("s", TaskGraphTest::scale, x, y, 2f, 8))
                .hasMessage("graph g already has a task named s");
        assertThatThrownBy(() -> g.task("a.b", TaskGraphTest::scale, x, y, 2f, 8))
                .hasMessageContaining("must be non-empty, without dots");
        assertThatThrownBy(() -> new TaskGraph("has space")).isInstanceOf(TaskGraphException.class);
    }

    @Test
    void rejectsConflictingTransfers() {
        assertThatThrownBy(() -> new TaskGraph("g").consumeFromDevice(x).transferToDevice(DataTransferMode.EVERY_EXECUTION, x))
                .hasMessageContaining("is consumed from the device and cannot also be transferred");
        assertThatThrownBy(() -> new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, x).consumeFromDevice(x))
                .hasMessageContaining("cannot also be consumed");
        assertThatThrownBy(() -> new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x)).hasMessageContaining("already transferred");
        assertThatThrownBy(() -> new TaskGraph("empty").snapshot()).hasMessage("graph empty has no tasks");
    }

    @Test
    void snapshotIsNotChangedByLaterBuilding() {
        TaskGraph g = new TaskGraph("g").task("a", TaskGraphTest::scale, x, y, 2f, 8);
        ImmutableTaskGraph first = g.snapshot();
        g.task("b", TaskGraphTest::scale, y, x, 2f, 8).persistOnDevice(x);
        assertThat(first.tasks()).hasSize(1);
        assertThat(first.isPersisted(x)).isFalse();
        assertThat(g.snapshot().isPersisted(x)).isTrue();
    }

    @Test
    void workerGridsCheckTheirSizes() {
        assertThat(WorkerGrid.of(256).withLocal(64).local(0)).isEqualTo(64);
        assertThat(WorkerGrid.of(16, 8).withLocal(4, 4).dimensions()).isEqualTo(2);
        assertThatThrownBy(() -> WorkerGrid.of(100).withLocal(64)).hasMessageContaining("divide the global size 100");
        assertThatThrownBy(() -> new GridScheduler("nodot", WorkerGrid.of(4))).hasMessageContaining("graph.task");
    }
}
