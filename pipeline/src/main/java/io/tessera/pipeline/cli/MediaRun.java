package io.tessera.pipeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

import io.tessera.media.MediaFormatException;
import io.tessera.media.MediaInput;
import io.tessera.media.audio.AudioLoader;
import io.tessera.media.video.VideoDecoder;
import io.tessera.media.video.VideoFrame;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.generate.Decoder;
import io.tessera.pipeline.model.Model;
import io.tessera.pipeline.vision.Interleaver;
import io.tessera.pipeline.vision.Mmproj;
import io.tessera.pipeline.vision.MultimodalPrompt;
import io.tessera.pipeline.vision.VisionEncoder;
import io.tessera.tokenizer.ChatTemplate;
import picocli.CommandLine;

/**
 * The media of one prompt, ready for the decoder: the mmproj and the encoders of the parts the
 * prompt uses, the laid-out prompt and the soft tokens of its images and audio chunks on demand.
 * Shared by {@code ask}, {@code generate} and {@code eval}.
 */
final class MediaRun implements AutoCloseable {
    final Mmproj mmproj;
    final VisionEncoder vision;
    final AudioEncoder audio;
    final MultimodalPrompt prompt;
    final IntFunction<float[]> images;
    final IntFunction<float[]> audioChunks;

    private MediaRun(Mmproj mmproj, VisionEncoder vision, AudioEncoder audio, MultimodalPrompt prompt,
                     IntFunction<float[]> images, IntFunction<float[]> audioChunks) {
        this.mmproj = mmproj;
        this.vision = vision;
        this.audio = audio;
        this.prompt = prompt;
        this.images = images;
        this.audioChunks = audioChunks;
    }

    /**
     * Loads --mmproj and lays out {@code text} with the media of {@code media}, in {@code template}'s
     * user turn (null: a raw prompt), for {@code decoder}'s model and device.
     */
    static MediaRun open(CommandLine cli, MediaOptions media, Model model, Decoder decoder, ChatTemplate template,
                         String system, String text) {
        check(cli, media);
        Mmproj mm = Mmproj.load(media.mmproj);
        VisionEncoder vision = null;
        AudioEncoder audio = null;
        try {
            mm.checkCompatible(model);
            List<VideoFrame> frames;
            try {
                frames = media.videoFrames();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, e.getMessage());
            }
            boolean needsVision = !media.images.isEmpty() || !frames.isEmpty();
            if (needsVision) {
                int tokens = mm.config().softTokens();
                if (decoder.tile() < tokens) {
                    throw new CommandLine.ParameterException(cli, "--tile " + decoder.tile() + " is smaller than an image block ("
                            + tokens + " soft tokens)");
                }
                vision = new VisionEncoder(mm, decoder.device(), VisionEncoder.Options.batch(4));
            }
            List<float[]> clips = new ArrayList<>();
            AudioLoader loader = new AudioLoader();
            for (Path p : media.audio) {
                float[] s = loader.load16kMono(MediaOptions.as(MediaInput.of(p), MediaInput.Audio.class, p));
                if (s.length == 0) {
                    throw new MediaFormatException(p.toString(), "has no audio samples");
                }
                clips.add(s);
            }
            float[] track = null;
            if (!frames.isEmpty() && mm.hasAudio()) {
                MediaInput.Video v = MediaOptions.as(MediaInput.of(media.video), MediaInput.Video.class, media.video);
                if (new VideoDecoder().info(v).hasAudio()) {
                    track = loader.load16kMono(v);
                }
            }
            if (!clips.isEmpty() || track != null) {
                audio = AudioEncoder.open(mm, decoder.device());
            }
            Interleaver interleaver = Interleaver.forMmproj(model.tokenizer(), mm, model.config().hidden());
            int imageTokens = needsVision ? mm.config().softTokens() : 0;
            MultimodalPrompt prompt = MultimodalPrompt.build(model.tokenizer(), interleaver, template, system, text,
                    Collections.nCopies(media.images.size(), imageTokens), imageTokens, clips, frames, track, audio);
            IntFunction<float[]> images = vision != null ? media.embeddings(vision, frames) : i -> {
                throw new IllegalStateException("no images");
            };
            IntFunction<float[]> chunks = audio != null ? prompt.audioEmbeddings(audio) : s -> {
                throw new IllegalStateException("no audio");
            };
            return new MediaRun(mm, vision, audio, prompt, images, chunks);
        } catch (RuntimeException e) {
            if (vision != null) {
                vision.close();
            }
            if (audio != null) {
                audio.close();
            }
            mm.close();
            throw e;
        }
    }

    /** Usage errors of the media options, before anything is loaded. */
    static void check(CommandLine cli, MediaOptions media) {
        if (media.mmproj == null) {
            throw new CommandLine.ParameterException(cli, "--image, --audio and --video need --mmproj");
        }
        if (!media.any()) {
            throw new CommandLine.ParameterException(cli, "--mmproj needs --image, --audio or --video");
        }
    }

    @Override
    public void close() {
        if (vision != null) {
            vision.close();
        }
        if (audio != null) {
            audio.close();
        }
        mmproj.close();
    }
}
