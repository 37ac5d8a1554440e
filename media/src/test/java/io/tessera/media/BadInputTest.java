package io.tessera.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.media.audio.AudioLoader;
import io.tessera.media.image.ImageDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content detection and one clear error for each kind of bad input. */
class BadInputTest {
    /** A PNG whose header claims {@code w × h} RGB pixels, with one compressed row of data. */
    static byte[] pngClaiming(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1 + w * 3]);
        deflater.finish();
        byte[] buf = new byte[1 << 16];
        int n = deflater.deflate(buf);
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void hundredMegapixelBombIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = pngClaiming(10000, 10000);
        assertThat(bomb.length).isLessThan(1000);
        MediaInput input = MediaInput.of("bomb.png", bomb);
        assertThat(input).isInstanceOf(MediaInput.Image.class);
        assertThatThrownBy(() -> new ImageDecoder().decode((MediaInput.Image) input))
                .isInstanceOf(MediaTooLargeException.class)
                .hasMessage("bomb.png: image is 10000x10000 = 100000000 pixels, over the limit of 50000000 (possible decompression bomb)");
        // A lower configured limit applies to ordinary images too.
        assertThatThrownBy(() -> new ImageDecoder(new ImageDecoder.Limits(1000, 1 << 20)).decode("small.png", pngClaiming(40, 30)))
                .isInstanceOf(MediaTooLargeException.class);
    }

    @Test
    void truncatedImagesGiveOneClearError() throws Exception {
        for (String name : new String[] {"img.png", "img_baseline.jpg", "img_progressive.jpg"}) {
            byte[] bytes = Files.readAllBytes(Fixtures.file(name));
            byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);
            assertThatThrownBy(() -> new ImageDecoder().decode("half-" + name, half))
                    .as(name).isInstanceOf(MediaFormatException.class)
                    .hasMessageStartingWith("half-" + name + ": ").hasMessageContaining("truncated");
        }
    }

    @Test
    void zeroLengthFileIsRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> MediaInput.of(empty)).isInstanceOf(MediaFormatException.class).hasMessageEndingWith("empty file (0 bytes)");
        assertThatThrownBy(() -> MediaInput.of(dir.resolve("missing.png"))).isInstanceOf(MediaFormatException.class).hasMessageEndingWith("no such file");
    }

    @Test
    void textIsNotMedia(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "just some text, not a picture\n");
        assertThatThrownBy(() -> MediaInput.of(text)).isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("not an image/audio/video file: " + text + " (detected text/plain)");
        assertThatThrownBy(() -> MediaInput.of("blob.bin", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}))
                .isInstanceOf(MediaFormatException.class).hasMessageContaining("(detected application/octet-stream)");
    }

    @Test
    void detectionIsByContent() throws Exception {
        MediaInput fake = MediaInput.of(Fixtures.file("png_named.jpg"));
        assertThat(fake.mimeType()).isEqualTo("image/png");
        assertThat(MediaInput.of(Fixtures.file("tone_8000.wav"))).isInstanceOf(MediaInput.Audio.class);
        assertThat(MediaInput.of(Fixtures.file("tone_44100.m4a"))).isInstanceOf(MediaInput.Audio.class);
        assertThat(MediaInput.of(Fixtures.file("video_h264.mov")).mimeType()).isEqualTo("video/quicktime");
        byte[] png = Files.readAllBytes(Fixtures.file("img.png"));
        MediaInput fromUrl = MediaInput.ofDataUrl("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(png));
        assertThat(fromUrl).isInstanceOf(MediaInput.Image.class);
        assertThat(fromUrl.mimeType()).isEqualTo("image/png");
        assertThat(new ImageDecoder().decode((MediaInput.Image) fromUrl).width()).isEqualTo(317);
        assertThatThrownBy(() -> MediaInput.ofDataUrl("data:image/png;base64,@@@"))
                .isInstanceOf(MediaFormatException.class).hasMessageContaining("invalid base64");
    }

    @Test
    void corruptAudioGivesOneClearError() throws Exception {
        byte[] mp3 = Files.readAllBytes(Fixtures.file("tone_44100.mp3"));
        byte[] garbage = mp3.clone();
        for (int i = 512; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }
        MediaInput input = MediaInput.of("garbage.mp3", garbage);
        try {
            float[] x = new AudioLoader().load16kMono(input);
            // FFmpeg may resynchronise and decode what it can; then the result is short and bounded.
            assertThat(x.length).isLessThan(16000 * 3);
        } catch (MediaFormatException e) {
            assertThat(e.getMessage()).startsWith("garbage.mp3: ");
        }
    }
}
