package io.tessera.tasks.runtime.spirv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/** Facts read from a SPIR-V binary: its declared capabilities, and a digest to key caches by. */
public final class SpirvModules {
    private SpirvModules() {
    }

    static final int MAGIC = 0x07230203;
    static final int OP_CAPABILITY = 17;
    /** {@code Float64}: the module computes in double precision. */
    public static final int CAPABILITY_FLOAT64 = 10;

    /**
     * The operands of the module's {@code OpCapability} instructions, which the SPIR-V spec places
     * first after the five-word header.
     */
    public static Set<Integer> capabilities(byte[] module) {
        ByteBuffer words = ByteBuffer.wrap(module).order(ByteOrder.LITTLE_ENDIAN);
        if (module.length < 20 || module.length % 4 != 0 || words.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a little-endian SPIR-V module (" + module.length + " bytes)");
        }
        Set<Integer> capabilities = new LinkedHashSet<>();
        int at = 20;
        while (at + 4 <= module.length) {
            int word = words.getInt(at);
            int count = word >>> 16;
            if ((word & 0xFFFF) != OP_CAPABILITY || count < 2) {
                break;
            }
            capabilities.add(words.getInt(at + 4));
            at += 4 * count;
        }
        return capabilities;
    }

    /** SHA-256 of the module, in hex. */
    public static String digest(byte[] module) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(module));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
