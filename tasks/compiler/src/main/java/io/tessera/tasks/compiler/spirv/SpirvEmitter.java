package io.tessera.tasks.compiler.spirv;

import io.tessera.tasks.compiler.ir.Function;
import io.tessera.tasks.compiler.ir.KernelIr;
import io.tessera.tasks.compiler.ptx.KernelSignature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel IR to a SPIR-V 1.0 binary module for the OpenCL environment (OpenCL 2.1+ drivers through
 * {@code clCreateProgramWithIL}, Level Zero), written word by word by this package.
 *
 * <p>The module declares {@code Kernel}, {@code Addresses} and {@code Int64}, plus {@code Int8},
 * {@code Int16}, {@code Float16Buffer} or {@code Float64} when the kernel needs them; the memory
 * model is {@code Physical64 OpenCL}. Half-precision data is read and written with OpenCL.std
 * {@code vload_half}/{@code vstore_half}, so the {@code Float16} arithmetic capability is never
 * required. The entry point has {@code ContractionOff}: like Java, no {@code a * b + c} is fused.
 * Its parameters follow {@link KernelSignature}. Built-in ids come from {@code Input} variables of
 * {@code size_t} 3-vectors; typed arrays are {@code CrossWorkgroup} pointers, local arrays
 * {@code Workgroup} variables; barriers are {@code OpControlBarrier} at work-group scope. Control flow
 * is structured with {@code OpSelectionMerge}/{@code OpLoopMerge}; {@code @Parallel} loops are
 * grid-stride loops over {@code GlobalInvocationId} and {@code GlobalSize}.
 *
 * <p>Numerics follow the OpenCL C built-ins (full-precision {@code exp}, {@code log}, {@code pow}
 * ...); float-to-integer casts saturate and map NaN to 0 as in Java. Known differences from Java:
 * {@code Math.min/max} of floats return the non-NaN operand when one is NaN ({@code fmin}/{@code fmax}),
 * and integer division by zero gives an unspecified value instead of an exception.
 */
public final class SpirvEmitter {
    private SpirvEmitter() {
    }

    /** A kernel as SPIR-V: the entry point name, the module's bytes and its argument list. */
    public record SpirvKernel(String entryName, byte[] binary, KernelSignature signature) {
        public SpirvKernel {
            binary = binary.clone();
        }

        @Override
        public byte[] binary() {
            return binary.clone();
        }
    }

    /**
     * Emits {@code ir} as a SPIR-V module; {@code constants} maps the index of a scalar parameter
     * to the value it is folded to.
     */
    public static SpirvKernel emit(KernelIr ir, Map<Integer, Object> constants) {
        KernelSignature signature = KernelSignature.of(ir, constants);
        SpirvModule module = new SpirvModule();
        Map<String, Integer> functionIds = new LinkedHashMap<>();
        for (Function helper : ir.helpers()) {
            functionIds.put(helper.name(), module.id());
        }
        Map<Integer, Integer> builtins = new HashMap<>();
        List<SpirvFunction> helpers = new ArrayList<>();
        for (Function helper : ir.helpers()) {
            helpers.add(new SpirvFunction(module, ir, helper, signature, Map.of(), false, functionIds, builtins));
        }
        SpirvFunction kernel = new SpirvFunction(module, ir, ir.kernel(), signature, constants, true, functionIds,
                builtins);
        int kernelId = kernel.emit(module.id());
        for (int i = 0; i < helpers.size(); i++) {
            helpers.get(i).emit(functionIds.get(ir.helpers().get(i).name()));
        }
        String entry = ir.name();
        module.entryPoint(kernelId, entry, new ArrayList<>(builtins.values()));
        module.executionMode(kernelId, Spv.EXECUTION_MODE_CONTRACTION_OFF);
        return new SpirvKernel(entry, module.toBytes(), signature);
    }
}
