package io.tessera.media.audio;

import io.tessera.media.MediaFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RIFF/WAVE reader for PCM 8/16/24/32-bit and IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE.
 *
 * <p>Header lengths are checked against the bytes present: a {@code data} chunk that claims more
 * bytes than the file holds (streaming writers leave 0xFFFFFFFF there) is clamped to the whole
 * sample frames present; a {@code fmt} chunk that is missing, short or inconsistent is rejected.
 */
public final class WavDecoder {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavDecoder() {}

    /** Whether {@code bytes} start like a RIFF/WAVE file. */
    public static boolean isWav(byte[] bytes) {
        return bytes.length >= 12 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F'
                && bytes[8] == 'W' && bytes[9] == 'A' && bytes[10] == 'V' && bytes[11] == 'E';
    }

    public static DecodedAudio decode(String name, byte[] bytes) {
        if (!isWav(bytes)) {
            throw new MediaFormatException(name, "not a RIFF/WAVE file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int format = -1;
        int channels = 0;
        int sampleRate = 0;
        int blockAlign = 0;
        int bits = 0;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            long available = bytes.length - body;
            if (id.equals("fmt ")) {
                if (size < 16 || available < 16) {
                    throw new MediaFormatException(name, "fmt chunk at byte " + pos + " is truncated (" + Math.min(size, available) + " of 16 bytes)");
                }
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                sampleRate = b.getInt(body + 4);
                blockAlign = b.getShort(body + 12) & 0xFFFF;
                bits = b.getShort(body + 14) & 0xFFFF;
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 40 || available < 40) {
                        throw new MediaFormatException(name, "WAVE_FORMAT_EXTENSIBLE fmt chunk is truncated");
                    }
                    format = b.getShort(body + 24) & 0xFFFF;
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw new MediaFormatException(name, "data chunk at byte " + pos + " comes before any fmt chunk");
                }
                validate(name, format, channels, sampleRate, blockAlign, bits);
                long length = Math.min(size, available);
                long frames = length / blockAlign;
                if (frames == 0) {
                    throw new MediaFormatException(name, "no audio samples (data chunk holds " + length + " bytes, declared " + size + ")");
                }
                if (frames * channels > Integer.MAX_VALUE - 8) {
                    throw new MediaFormatException(name, "too many samples for one clip: " + frames);
                }
                return new DecodedAudio(sampleRate, channels, samples(b, body, (int) (frames * channels), format, bits));
            }
            long next = body + size + (size & 1);
            if (next > bytes.length) {
                break;
            }
            pos = (int) next;
        }
        if (format < 0) {
            throw new MediaFormatException(name, "no fmt chunk (file truncated?)");
        }
        throw new MediaFormatException(name, "no data chunk (file truncated?)");
    }

    private static void validate(String name, int format, int channels, int sampleRate, int blockAlign, int bits) {
        if (format != FORMAT_PCM && format != FORMAT_FLOAT) {
            throw new MediaFormatException(name, "unsupported WAV sample format 0x" + Integer.toHexString(format) + " (PCM and IEEE float only)");
        }
        if (channels < 1 || channels > 64) {
            throw new MediaFormatException(name, "invalid channel count " + channels);
        }
        if (sampleRate < 1000 || sampleRate > 768_000) {
            throw new MediaFormatException(name, "invalid sample rate " + sampleRate + " Hz");
        }
        boolean ok = format == FORMAT_PCM ? bits == 8 || bits == 16 || bits == 24 || bits == 32 : bits == 32 || bits == 64;
        if (!ok) {
            throw new MediaFormatException(name, "unsupported " + (format == FORMAT_PCM ? "PCM" : "float") + " sample size " + bits + " bits");
        }
        if (blockAlign != channels * bits / 8) {
            throw new MediaFormatException(name, "header is inconsistent: block align " + blockAlign + " for " + channels + " channels of " + bits + " bits");
        }
    }

    private static float[] samples(ByteBuffer b, int offset, int count, int format, int bits) {
        float[] out = new float[count];
        int p = offset;
        if (format == FORMAT_FLOAT) {
            for (int i = 0; i < count; i++) {
                out[i] = bits == 32 ? b.getFloat(p) : (float) b.getDouble(p);
                p += bits / 8;
            }
            return out;
        }
        for (int i = 0; i < count; i++) {
            out[i] = switch (bits) {
                case 8 -> ((b.get(p) & 0xFF) - 128) / 128f;
                case 16 -> b.getShort(p) / 32768f;
                case 24 -> ((b.get(p) & 0xFF) | (b.get(p + 1) & 0xFF) << 8 | b.get(p + 2) << 16) / 8388608f;
                default -> (float) (b.getInt(p) / 2147483648.0);
            };
            p += bits / 8;
        }
        return out;
    }
}
