package io.tessera.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes NumPy {@code .npy} files, format version 1.0, little-endian, C order. */
public final class NpyWriter {
    private NpyWriter() {}

    public static void write(Path file, FloatTensor tensor) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header("<f4", tensor.shape()));
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : tensor.data()) {
                if (!buffer.hasRemaining()) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putFloat(v);
            }
            out.write(buffer.array(), 0, buffer.position());
        }
    }

    /** Writes a boolean mask as {@code |b1}. */
    public static void write(Path file, boolean[] mask) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header("|b1", new int[] {mask.length}));
            byte[] bytes = new byte[mask.length];
            for (int i = 0; i < mask.length; i++) {
                bytes[i] = (byte) (mask[i] ? 1 : 0);
            }
            out.write(bytes);
        }
    }

    /** Magic, version, header length and the dict, padded with spaces to a multiple of 64 bytes. */
    static byte[] header(String dtype, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        } else if (shape.length == 1) {
            dims.setLength(dims.length() - 1);
        }
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims.toString().strip() + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
