package io.tessera.tasks.compiler.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tasks.api.FloatArray;
import io.tessera.tasks.api.TypedArray.ElementType;
import io.tessera.tasks.compiler.testkernels.BasicKernels;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KernelIrStoreTest {

    @Test
    void loadsTheIrThePluginWroteBesideTheClass() throws NoSuchMethodException {
        Method saxpy = BasicKernels.class.getMethod("saxpy", float.class, FloatArray.class, FloatArray.class);
        KernelIr ir = KernelIrStore.load(saxpy);

        assertThat(ir.qualifiedName()).isEqualTo("io.tessera.tasks.compiler.testkernels.BasicKernels.saxpy");
        assertThat(ir.sourceFile()).isEqualTo("BasicKernels.java");
        assertThat(ir.params()).containsExactly(new Param.ScalarParam("alpha", ScalarType.F32),
                new Param.ArrayParam("x", ElementType.F32), new Param.ArrayParam("y", ElementType.F32));
        assertThat(ir.parallelLoops()).hasSize(1);
        assertThat(ir.parallelLoops().getFirst().var().name()).isEqualTo("i");
        assertThat(ir.line()).isEqualTo(lineOf("public static void saxpy"));
    }

    @Test
    void printsReadableIrWithSourceLines() {
        String text = KernelIrStore.load(BasicKernels.class, "saxpy").toString();

        assertThat(text).contains("kernel void saxpy(float alpha, FloatArray x, FloatArray y)")
                .contains("for (@Parallel(0) int i = 0; i < y.length(); i++) {  // line " + lineOf("@Parallel int i = 0; i < y.length()"))
                .contains("y.set((long) i, (alpha * x.get((long) i)) + y.get((long) i));  // line "
                        + lineOf("y.set(i, alpha"));
    }

    @Test
    void encodingRoundTripsToAnEqualIr() {
        KernelIr ir = KernelIrStore.load(BasicKernels.class, "controlFlow");
        KernelIr again = KernelIrStore.decode(KernelIrStore.encode(ir), "controlFlow");

        assertThat(again).isEqualTo(ir);
        assertThat(again.toString()).isEqualTo(ir.toString());
    }

    @Test
    void missingIrNamesTheKernelAndThePlugin() {
        assertThatThrownBy(() -> KernelIrStore.load(BasicKernels.class, "noSuchKernel"))
                .isInstanceOf(KernelIrException.class)
                .hasMessage("kernel io.tessera.tasks.compiler.testkernels.BasicKernels.noSuchKernel has no IR: "
                        + "was its module compiled with -Xplugin:TesseraKernels?");
    }

    @Test
    void rejectsCorruptAndForeignResources() {
        byte[] bytes = KernelIrStore.encode(KernelIrStore.load(BasicKernels.class, "saxpy"));
        byte[] otherVersion = bytes.clone();
        otherVersion[7] = 99;
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);

        assertThatThrownBy(() -> KernelIrStore.decode("not an IR".getBytes(), "k"))
                .isInstanceOf(KernelIrException.class).hasMessageContaining("not a kernel IR file");
        assertThatThrownBy(() -> KernelIrStore.decode(otherVersion, "k"))
                .isInstanceOf(KernelIrException.class).hasMessageContaining("format version 99");
        assertThatThrownBy(() -> KernelIrStore.decode(truncated, "k"))
                .isInstanceOf(KernelIrException.class).hasMessageContaining("corrupt");
    }

    @Test
    void parallelIterationsComeFromTheArguments() {
        KernelIr saxpy = KernelIrStore.load(BasicKernels.class, "saxpy");
        KernelIr matmul = KernelIrStore.load(BasicKernels.class, "matmul");

        assertThat(saxpy.parallelIterations(new Object[] {2f, FloatArray.allocate(10), FloatArray.allocate(13)}))
                .containsExactly(13);
        assertThat(matmul.parallelIterations(new Object[] {null, null, null, 3, 7, 5})).containsExactly(3, 5);
    }

    /** The line of the first occurrence of {@code text} in BasicKernels.java. */
    static int lineOf(String text) {
        return SourceLines.lineOf("io/tessera/tasks/compiler/testkernels/BasicKernels.java", text);
    }
}
