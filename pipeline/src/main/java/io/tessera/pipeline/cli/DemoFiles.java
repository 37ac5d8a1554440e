package io.tessera.pipeline.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

import io.tessera.pipeline.audio.encoder.RandomGemma4uaMmprojFile;
import io.tessera.pipeline.gguf.GgufFile;
import io.tessera.pipeline.gguf.GgufKeys;
import io.tessera.pipeline.gguf.GgufTensorInfo;
import io.tessera.pipeline.gguf.GgufTensorType;
import io.tessera.pipeline.gguf.GgufValue;
import io.tessera.pipeline.gguf.GgufValueType;
import io.tessera.pipeline.gguf.GgufWriter;
import io.tessera.pipeline.model.Architecture;
import io.tessera.pipeline.model.RandomGemmaFile;
import io.tessera.pipeline.vision.ClipKeys;
import io.tessera.pipeline.vision.RandomMmprojFile;

/**
 * The inputs of {@code tessera demo} when no model is given: a tiny random-weight Gemma 3 text
 * model whose vocabulary has the Gemma 3 image markers and the Gemma 4 audio markers, one mmproj
 * with a gemma3 vision part and a gemma4ua audio part of the text width, and sample media drawn
 * here (a PNG scene, a WAV chirp, an MPEG-4 video of a bouncing ball with an AAC sound track).
 * Files already present are kept, so a second run starts at once; the names say what is inside,
 * so files of an older demo (no audio markers, no audio part, a silent video) are not reused.
 */
final class DemoFiles {
    /** Control tokens at the end of the vocabulary: the Gemma 3 image wrap and the Gemma 4 audio wrap (MediaWrap). */
    static final String[] MARKERS = {"<start_of_image>", "<end_of_image>", "<image_soft_token>", "<|audio>",
        "<audio|>", "<|audio|>"};
    static final int TEXT_WIDTH = 128;
    static final int SAMPLE_RATE = 16_000;
    static final int VIDEO_FRAMES = 8;
    static final int VIDEO_FPS = 4;

    private DemoFiles() {
    }

    /** 4 layers (3 local with a window of 64, 1 global), GQA 4/2 x 32, width 128, vocabulary of 512. */
    static RandomGemmaFile text() {
        return new RandomGemmaFile(Architecture.GEMMA3, 4, TEXT_WIDTH, 256, 4, 2, 32, 512, 64, 1024,
                GgufTensorType.F32, GgufTensorType.F32, 1_000_000f, 1f, 0f, 0f, 3);
    }

    /** SigLIP of 2 blocks, width 128, 224 px in patches of 14 (16 x 16), pooled by 4 to 16 soft tokens. */
    static RandomMmprojFile mmproj() {
        return new RandomMmprojFile(224, 14, 128, 256, 2, 4, TEXT_WIDTH, 4, GgufTensorType.F32, 5);
    }

    /** The gemma4ua audio part: an encoder-free projection of 640-sample frames to the text width (25 tokens/s). */
    static RandomGemma4uaMmprojFile audioPart() {
        return new RandomGemma4uaMmprojFile(TEXT_WIDTH, GgufTensorType.F32, 7);
    }

    static final String MODEL = "gemma3-random-text-av.gguf";
    static final String MMPROJ = "random-mmproj-gemma3-gemma4ua.gguf";
    static final String IMAGE = "scene.png";
    static final String AUDIO = "chirp.wav";
    static final String VIDEO = "ball-sound.mp4";

    /** Writes what is missing in {@code dir} and returns the files by role (model, mmproj, image, audio, video). */
    static Map<String, Path> ensure(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("model", make(dir.resolve(MODEL), DemoFiles::writeText));
            files.put("mmproj", make(dir.resolve(MMPROJ), DemoFiles::writeMmproj));
            files.put("image", make(dir.resolve(IMAGE), DemoFiles::writeImage));
            files.put("audio", make(dir.resolve(AUDIO), DemoFiles::writeChirp));
            files.put("video", make(dir.resolve(VIDEO), DemoFiles::writeVideo));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo files into " + dir + ": " + e.getMessage(), e);
        }
    }

    private interface Writer {
        void write(Path path) throws IOException;
    }

    /** Writes {@code path} through a temporary file, so that an interrupted run leaves no half file behind. */
    private static Path make(Path path, Writer writer) throws IOException {
        if (Files.isRegularFile(path) && Files.size(path) > 0) {
            return path;
        }
        Path tmp = path.resolveSibling(".partial-" + path.getFileName());
        Files.deleteIfExists(tmp);
        writer.write(tmp);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return path;
    }

    /** The random text model with its last pieces replaced by {@link #MARKERS} (control tokens). */
    static void writeText(Path out) throws IOException {
        RandomGemmaFile text = text();
        Path plain = Files.createTempFile(out.getParent(), "plain", ".gguf");
        try {
            text.write(plain);
            int vocab = text.vocab();
            try (GgufFile f = GgufFile.open(plain)) {
                Map<String, GgufValue> meta = new LinkedHashMap<>(f.metadata().asMap());
                String[] tokens = text.tokens();
                long[] types = new long[vocab];
                GgufValue.Array t = (GgufValue.Array) meta.get(GgufKeys.TOKENIZER_TOKEN_TYPE);
                System.arraycopy((long[]) t.elements(), 0, types, 0, vocab);
                for (int i = 0; i < MARKERS.length; i++) {
                    tokens[vocab - MARKERS.length + i] = MARKERS[i];
                    types[vocab - MARKERS.length + i] = 3; // llama.cpp's LLAMA_TOKEN_TYPE_CONTROL
                }
                GgufWriter markers = new GgufWriter();
                markers.putStrings(GgufKeys.TOKENIZER_TOKENS, tokens);
                markers.putInts(GgufKeys.TOKENIZER_TOKEN_TYPE, GgufValueType.INT32, types);
                meta.putAll(markers.metadata());
                GgufWriter w = new GgufWriter();
                meta.forEach(w::put);
                for (GgufTensorInfo info : f.tensors()) {
                    w.addTensor(info.name(), info.type(), info.dims(), f.data(info));
                }
                w.write(out);
            }
        } finally {
            Files.deleteIfExists(plain);
        }
    }

    /**
     * The gemma3 vision mmproj and the gemma4ua audio part in one file, laid out as llama.cpp reads
     * a file of two parts (clip.cpp: {@code clip.vision.projector_type} and
     * {@code clip.audio.projector_type}, each part's own keys and tensors).
     */
    static void writeMmproj(Path out) throws IOException {
        Path vision = Files.createTempFile(out.getParent(), "vision", ".gguf");
        Path audio = Files.createTempFile(out.getParent(), "audio", ".gguf");
        try {
            mmproj().write(vision);
            audioPart().write(audio);
            try (GgufFile v = GgufFile.open(vision); GgufFile a = GgufFile.open(audio)) {
                Map<String, GgufValue> meta = new LinkedHashMap<>(v.metadata().asMap());
                a.metadata().asMap().forEach((k, value) -> {
                    if (k.startsWith("clip.audio.") || k.equals(ClipKeys.HAS_AUDIO_ENCODER)) {
                        meta.put(k, value);
                    }
                });
                // a plain clip.projector_type would name the projector of every part
                GgufValue type = meta.remove(ClipKeys.PROJECTOR_TYPE);
                meta.put(ClipKeys.VISION_PROJECTOR_TYPE, type);
                meta.put(ClipKeys.HAS_VISION_ENCODER, new GgufValue.Bool(true));
                meta.put(GgufKeys.NAME, new GgufValue.Str("random gemma3 vision + gemma4ua audio mmproj"));
                GgufWriter w = new GgufWriter();
                meta.forEach(w::put);
                for (GgufFile f : List.of(v, a)) {
                    for (GgufTensorInfo t : f.tensors()) {
                        w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                    }
                }
                w.write(out);
            }
        } finally {
            Files.deleteIfExists(vision);
            Files.deleteIfExists(audio);
        }
    }

    /** A house under the sun on a green hill, 320 x 240. */
    static BufferedImage scene() {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(120, 180, 240));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(250, 210, 40));
        g.fillOval(230, 25, 60, 60);
        g.setColor(new Color(70, 160, 60));
        g.fillOval(-80, 150, 480, 200);
        g.setColor(new Color(200, 80, 60));
        g.fillRect(100, 120, 90, 70);
        g.setColor(new Color(110, 50, 40));
        g.fillPolygon(new int[] {90, 145, 200}, new int[] {122, 80, 122}, 3);
        g.setColor(new Color(90, 60, 30));
        g.fillRect(135, 155, 22, 35);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(3));
        g.drawRect(110, 132, 20, 18);
        g.dispose();
        return img;
    }

    static void writeImage(Path out) throws IOException {
        if (!ImageIO.write(scene(), "png", out.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
    }

    /** Two seconds of a sine sweep from 200 Hz to 2 kHz, 16 kHz mono, 16-bit. */
    static void writeChirp(Path out) throws IOException {
        int n = 2 * SAMPLE_RATE;
        double f0 = 200;
        double f1 = 2000;
        double seconds = (double) n / SAMPLE_RATE;
        ByteBuffer pcm = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            double t = (double) i / SAMPLE_RATE;
            // linear chirp: the phase is the integral of f0 + (f1 - f0) t / T
            double phase = 2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds));
            pcm.putShort((short) Math.round(0.5 * Short.MAX_VALUE * Math.sin(phase)));
        }
        AudioFormat format = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out.toFile());
        }
    }

    /** A frame of the video: a red ball crossing a grey floor, frame {@code i} of {@link #VIDEO_FRAMES}. */
    static BufferedImage videoFrame(int i) {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(30, 30, 60));
        g.fillRect(0, 0, 160, 120);
        g.setColor(new Color(150, 150, 150));
        g.fillRect(0, 90, 160, 30);
        int x = 10 + i * 120 / (VIDEO_FRAMES - 1);
        int y = 40 + (int) Math.round(40 * Math.abs(Math.sin(Math.PI * i / 3.0)));
        g.setColor(new Color(230, 40, 40));
        g.fillOval(x - 10, y - 10, 20, 20);
        g.dispose();
        return img;
    }

    /**
     * The video's sound during frame {@code i}: a low hum, and a ping that decays from each
     * bounce (the ball touches the floor at frames 0, 3 and 6), 16-bit at 16 kHz.
     */
    static short[] videoSound(int i) {
        int n = SAMPLE_RATE / VIDEO_FPS;
        short[] s = new short[n];
        for (int k = 0; k < n; k++) {
            double t = (i * n + k) / (double) SAMPLE_RATE;
            double sinceBounce = (i % 3 * n + k) / (double) SAMPLE_RATE;
            double v = 0.1 * Math.sin(2 * Math.PI * 110 * t)
                    + 0.5 * Math.exp(-sinceBounce * 12) * Math.sin(2 * Math.PI * 880 * t);
            s[k] = (short) Math.round(v * Short.MAX_VALUE);
        }
        return s;
    }

    /** Two seconds at 4 fps, MPEG-4 part 2 with an AAC mono sound track in MP4, written by FFmpeg through JavaCV. */
    static void writeVideo(Path out) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg would describe the output stream on stderr
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), 160, 120, 1);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(VIDEO_FPS);
            recorder.setVideoQuality(2);
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(SAMPLE_RATE);
            recorder.setAudioBitrate(64_000);
            recorder.start();
            for (int i = 0; i < VIDEO_FRAMES; i++) {
                recorder.record(converter.convert(videoFrame(i)));
                recorder.recordSamples(SAMPLE_RATE, 1, ShortBuffer.wrap(videoSound(i)));
            }
            recorder.stop();
        }
    }
}
