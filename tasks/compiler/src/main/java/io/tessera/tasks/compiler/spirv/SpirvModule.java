package io.tessera.tasks.compiler.spirv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SPIR-V module being written: ids, the logical sections of the binary (SPIR-V 1.0 spec, 2.4)
 * and interned types and constants. Capabilities are derived from the types actually created, so a
 * module declares {@code Int8}, {@code Int16}, {@code Float16Buffer} or {@code Float64} only when it
 * uses them.
 */
final class SpirvModule {
    static final int MAGIC = 0x07230203;
    static final int VERSION_1_0 = 0x00010000;

    private int nextId = 1;
    private final Set<Integer> capabilities = new LinkedHashSet<>();
    private final List<int[]> entryPoints = new ArrayList<>();
    private final List<int[]> executionModes = new ArrayList<>();
    private final List<int[]> debug = new ArrayList<>();
    private final List<int[]> annotations = new ArrayList<>();
    private final List<int[]> globals = new ArrayList<>();
    private final List<List<int[]>> functions = new ArrayList<>();
    private final Map<String, Integer> interned = new HashMap<>();
    private final int extInstSet;

    SpirvModule() {
        capabilities.add(Spv.CAP_KERNEL);
        capabilities.add(Spv.CAP_ADDRESSES);
        capabilities.add(Spv.CAP_INT64);
        extInstSet = id();
    }

    int id() {
        return nextId++;
    }

    int openClStd() {
        return extInstSet;
    }

    /** One instruction: word count and opcode, then the operands. */
    static int[] op(int opcode, int... operands) {
        int[] words = new int[operands.length + 1];
        words[0] = (words.length << 16) | opcode;
        System.arraycopy(operands, 0, words, 1, operands.length);
        return words;
    }

    /** A literal string: UTF-8, NUL-terminated, padded to whole little-endian words. */
    static int[] string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] words = new int[bytes.length / 4 + 1];
        for (int i = 0; i < bytes.length; i++) {
            words[i / 4] |= (bytes[i] & 0xFF) << (8 * (i % 4));
        }
        return words;
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    void capability(int cap) {
        capabilities.add(cap);
    }

    void entryPoint(int function, String name, List<Integer> interfaceIds) {
        int[] ids = interfaceIds.stream().mapToInt(Integer::intValue).toArray();
        entryPoints.add(op(Spv.OP_ENTRY_POINT, concat(new int[] {Spv.EXECUTION_MODEL_KERNEL, function}, string(name), ids)));
    }

    void executionMode(int function, int mode) {
        executionModes.add(op(Spv.OP_EXECUTION_MODE, function, mode));
    }

    void name(int target, String name) {
        debug.add(op(Spv.OP_NAME, concat(new int[] {target}, string(name))));
    }

    void decorate(int target, int... decoration) {
        annotations.add(op(Spv.OP_DECORATE, concat(new int[] {target}, decoration)));
    }

    void global(int[] instruction) {
        globals.add(instruction);
    }

    void function(List<int[]> instructions) {
        functions.add(instructions);
    }

    // ---------------------------------------------------------------- types

    private int intern(String key, java.util.function.IntFunction<int[]> make) {
        Integer existing = interned.get(key);
        if (existing != null) {
            return existing;
        }
        int id = id();
        globals.add(make.apply(id));
        interned.put(key, id);
        return id;
    }

    int voidType() {
        return intern("void", id -> op(Spv.OP_TYPE_VOID, id));
    }

    int boolType() {
        return intern("bool", id -> op(Spv.OP_TYPE_BOOL, id));
    }

    int intType(int width) {
        switch (width) {
            case 8 -> capability(Spv.CAP_INT8);
            case 16 -> capability(Spv.CAP_INT16);
            default -> {
            }
        }
        return intern("i" + width, id -> op(Spv.OP_TYPE_INT, id, width, 0));
    }

    int floatType(int width) {
        switch (width) {
            case 16 -> capability(Spv.CAP_FLOAT16_BUFFER);
            case 64 -> capability(Spv.CAP_FLOAT64);
            default -> {
            }
        }
        return intern("f" + width, id -> op(Spv.OP_TYPE_FLOAT, id, width));
    }

    int vectorType(int component, int count) {
        return intern("v" + count + ":" + component, id -> op(Spv.OP_TYPE_VECTOR, id, component, count));
    }

    int pointerType(int storageClass, int pointee) {
        return intern("p" + storageClass + ":" + pointee, id -> op(Spv.OP_TYPE_POINTER, id, storageClass, pointee));
    }

    int arrayType(int element, int length) {
        int len = constantInt(32, length);
        return intern("a" + element + ":" + length, id -> op(Spv.OP_TYPE_ARRAY, id, element, len));
    }

    int functionType(int returnType, List<Integer> params) {
        int[] ids = params.stream().mapToInt(Integer::intValue).toArray();
        return intern("fn" + returnType + ":" + params, id -> op(Spv.OP_TYPE_FUNCTION, concat(new int[] {id, returnType}, ids)));
    }

    // ---------------------------------------------------------------- constants

    int constantInt(int width, long value) {
        int type = intType(width);
        if (width == 64) {
            return intern("c" + type + ":" + value, id -> op(Spv.OP_CONSTANT, type, id, (int) value, (int) (value >>> 32)));
        }
        // narrower than 32 bits: the high-order bits of an unsigned-typed literal are zero
        int bits = width == 32 ? (int) value : (int) (value & ((1L << width) - 1));
        return intern("c" + type + ":" + bits, id -> op(Spv.OP_CONSTANT, type, id, bits));
    }

    int constantFloat(float value) {
        int type = floatType(32);
        int bits = Float.floatToRawIntBits(value);
        return intern("c" + type + ":" + bits, id -> op(Spv.OP_CONSTANT, type, id, bits));
    }

    int constantDouble(double value) {
        int type = floatType(64);
        long bits = Double.doubleToRawLongBits(value);
        return intern("c" + type + ":" + bits, id -> op(Spv.OP_CONSTANT, type, id, (int) bits, (int) (bits >>> 32)));
    }

    int constantBool(boolean value) {
        int type = boolType();
        return intern("c" + type + ":" + value, id -> op(value ? Spv.OP_CONSTANT_TRUE : Spv.OP_CONSTANT_FALSE, type, id));
    }

    int constantNull(int type) {
        return intern("null" + type, id -> op(Spv.OP_CONSTANT_NULL, type, id));
    }

    // ---------------------------------------------------------------- binary

    /** The module as little-endian bytes. */
    byte[] toBytes() {
        List<int[]> all = new ArrayList<>();
        for (int cap : capabilities) {
            all.add(op(Spv.OP_CAPABILITY, cap));
        }
        all.add(op(Spv.OP_EXT_INST_IMPORT, concat(new int[] {extInstSet}, string("OpenCL.std"))));
        all.add(op(Spv.OP_MEMORY_MODEL, Spv.ADDRESSING_PHYSICAL64, Spv.MEMORY_MODEL_OPENCL));
        all.addAll(entryPoints);
        all.addAll(executionModes);
        all.add(op(Spv.OP_SOURCE, Spv.SOURCE_OPENCL_C, 102000));
        all.addAll(debug);
        all.addAll(annotations);
        all.addAll(globals);
        functions.forEach(all::addAll);
        int words = 5;
        for (int[] i : all) {
            words += i.length;
        }
        ByteBuffer out = ByteBuffer.allocate(words * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(VERSION_1_0).putInt(0).putInt(nextId).putInt(0);
        for (int[] i : all) {
            for (int w : i) {
                out.putInt(w);
            }
        }
        return out.array();
    }
}
