package io.tessera.pipeline.vision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tessera.pipeline.audio.encoder.RandomGemma4uaMmprojFile;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.tokenizer.SentencePieceVocab;
import io.tessera.tokenizer.TokenType;

/**
 * Random-weight pairs for audio: the Gemma 3 text GGUF of {@link VisionFixtures#text} with the
 * Gemma 3 and Gemma 4 media markers as control tokens at the end of its vocabulary, a
 * {@code gemma4ua} mmproj of the same width, and 16-bit PCM WAV clips at 16 kHz (the format whose
 * samples miniaudio in mtmd and our WAV reader both give as {@code s / 32768}).
 */
public final class AudioFixtures {
    static final String[] MARKERS = {"<start_of_image>", "<end_of_image>", "<image_soft_token>", "<|image>",
        "<image|>", "<|image|>", "<|audio>", "<audio|>", "<|audio|>", "<|video|>"};

    private AudioFixtures() {
    }

    public static RandomGemma4uaMmprojFile mmproj(GgufTensorType type) {
        return new RandomGemma4uaMmprojFile(VisionFixtures.TEXT_HIDDEN, type, 31);
    }

    /** The text model of the vision fixtures (width {@link VisionFixtures#TEXT_HIDDEN}) with {@link #MARKERS}, F32. */
    public static void writeText(Path out) throws IOException {
        writeTextWithMarkers(VisionFixtures.text(GgufTensorType.F32), out);
    }

    /** A gemma3 vision mmproj (the vision fixtures') and a gemma4ua audio part in one file. */
    public static void writeVisionAndAudio(Path out) throws IOException {
        Path vision = Files.createTempFile(out.getParent(), "v", ".gguf");
        Path audio = Files.createTempFile(out.getParent(), "a", ".gguf");
        VisionFixtures.mmproj(GgufTensorType.F32).write(vision);
        mmproj(GgufTensorType.F32).write(audio);
        try (GgufFile v = GgufFile.open(vision); GgufFile a = GgufFile.open(audio)) {
            Map<String, GgufValue> meta = new LinkedHashMap<>(v.metadata().asMap());
            a.metadata().asMap().forEach((k, value) -> {
                if (k.startsWith("clip.audio.") || k.equals(ClipKeys.HAS_AUDIO_ENCODER)) {
                    meta.put(k, value);
                }
            });
            // each part names its own projector; llama.cpp reads clip.projector_type first, for every part
            GgufValue type = meta.remove(ClipKeys.PROJECTOR_TYPE);
            meta.put(ClipKeys.VISION_PROJECTOR_TYPE, type);
            meta.put(ClipKeys.HAS_VISION_ENCODER, new GgufValue.Bool(true));
            GgufWriter w = new GgufWriter();
            meta.forEach(w::put);
            for (GgufFile f : List.of(v, a)) {
                for (GgufTensorInfo t : f.tensors()) {
                    w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                }
            }
            w.write(out);
        }
        Files.delete(vision);
        Files.delete(audio);
    }

    /** Writes {@code text} with its last pieces replaced by {@link #MARKERS}. */
    public static void writeTextWithMarkers(RandomGemmaFile text, Path out) throws IOException {
        SentencePieceVocab v = text.vocabulary();
        String[] tokens = v.tokens().clone();
        TokenType[] types = v.types().clone();
        float[] scores = v.scores().clone();
        int vocab = tokens.length;
        for (int i = 0; i < MARKERS.length; i++) {
            tokens[vocab - MARKERS.length + i] = MARKERS[i];
            types[vocab - MARKERS.length + i] = TokenType.CONTROL;
            scores[vocab - MARKERS.length + i] = 0;
        }
        text.write(out, new SentencePieceVocab(tokens, scores, types, v.bosId(), v.eosId(), v.unknownId(),
                v.paddingId(), v.addBos()));
    }

    /** A seeded clip: two tones and noise, quantised to 16 bits ({@code seconds * 16000} samples). */
    public static short[] clip(double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = (int) Math.round(seconds * 16_000);
        double f1 = 200 + r.nextInt(600);
        double f2 = 1000 + r.nextInt(2000);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = i / 16_000.0;
            double v = 0.4 * Math.sin(2 * Math.PI * f1 * t) + 0.2 * Math.sin(2 * Math.PI * f2 * t)
                    + 0.1 * (r.nextDouble() * 2 - 1);
            s[i] = (short) Math.round(Math.max(-1, Math.min(1, v)) * 32767);
        }
        return s;
    }

    /** Writes mono 16-bit PCM at 16 kHz as a WAV file. */
    public static Path wav(Path out, short[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + 2 * samples.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        Files.write(out, b.array());
        return out;
    }
}
