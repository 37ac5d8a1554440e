package io.tessera.tasks.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tasks.runtime.EmittedKernels;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WrittenArraysTest {
    private static Method kernel(String name) {
        return Arrays.stream(EmittedKernels.class.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void writtenArraysComeFromStoresAndHelperCalls() {
        assertThat(KernelModels.writtenParameters(kernel("saxpy"))).containsExactly(2);
        assertThat(KernelModels.writtenParameters(kernel("matMul"))).containsExactly(2);
        assertThat(KernelModels.writtenParameters(kernel("groupMax"))).containsExactly(2);
        assertThat(KernelModels.writtenParameters(kernel("histogramIndex"))).containsExactly(1);
        assertThat(KernelModels.writtenParameters(kernel("helperWrites"))).containsExactly(1);
    }
}
