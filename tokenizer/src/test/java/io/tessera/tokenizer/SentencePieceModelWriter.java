package io.tessera.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a SentencePiece ModelProto (the protobuf wire format, by field number) for tests. */
final class SentencePieceModelWriter {
    private SentencePieceModelWriter() {
    }

    static byte[] write(SentencePieceVocab v, int modelType, boolean addDummyPrefix, boolean removeExtraWhitespaces,
                        String normalizerName, byte[] charsmap) {
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        for (int i = 0; i < v.size(); i++) {
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            bytesField(piece, 1, v.tokens()[i].getBytes(StandardCharsets.UTF_8));
            key(piece, 2, 5);
            int bits = Float.floatToRawIntBits(v.scores()[i]);
            for (int k = 0; k < 4; k++) {
                piece.write(bits >>> (8 * k));
            }
            varintField(piece, 3, v.types()[i].code());
            bytesField(model, 1, piece.toByteArray());
        }
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        varintField(trainer, 3, modelType);
        varintField(trainer, 4, v.size());
        varintField(trainer, 35, 1);
        varintField(trainer, 40, v.unknownId());
        varintField(trainer, 41, v.bosId());
        varintField(trainer, 42, v.eosId());
        varintField(trainer, 43, v.paddingId());
        bytesField(model, 2, trainer.toByteArray());
        ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        bytesField(normalizer, 1, normalizerName.getBytes(StandardCharsets.UTF_8));
        bytesField(normalizer, 2, charsmap);
        varintField(normalizer, 3, addDummyPrefix ? 1 : 0);
        varintField(normalizer, 4, removeExtraWhitespaces ? 1 : 0);
        varintField(normalizer, 5, 1);
        bytesField(model, 3, normalizer.toByteArray());
        return model.toByteArray();
    }

    private static void key(ByteArrayOutputStream out, int field, int wire) {
        varint(out, ((long) field << 3) | wire);
    }

    private static void varintField(ByteArrayOutputStream out, int field, long value) {
        key(out, field, 0);
        varint(out, value);
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] value) {
        key(out, field, 2);
        varint(out, value.length);
        out.write(value, 0, value.length);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
