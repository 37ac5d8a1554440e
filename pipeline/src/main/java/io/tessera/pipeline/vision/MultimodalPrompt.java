package io.tessera.pipeline.vision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

import io.tessera.media.video.VideoFrame;
import io.tessera.pipeline.audio.encoder.AudioEncoder;
import io.tessera.pipeline.generate.PromptException;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import io.tessera.tokenizer.Tokenizer;

/**
 * One user turn with media laid out for the decoder: images and audio clips at their
 * {@code {image}}/{@code {audio}} placeholders (or first), and a video's timestamped frames with
 * its audio track cut at the frame times ({@link VideoFrames#audioSegments}) at {@code {video}}
 * (or after the other media). Images are numbered files first, then frames; clips are numbered
 * files first, then the video's non-empty segments. The text is wrapped in {@code template}'s user
 * turn, or, without a template, written as it is with the media markers in place (a raw prompt).
 *
 * @param prompt  the chunks the decoder takes
 * @param content the user turn's content items
 * @param clips   the audio clips, in prompt order: 16 kHz samples
 */
public record MultimodalPrompt(InterleavedPrompt prompt, List<ChatMessage.Content> content, List<float[]> clips) {
    public MultimodalPrompt {
        content = List.copyOf(content);
        clips = List.copyOf(clips);
    }

    /**
     * Builds the prompt.
     *
     * @param tokenizer     the text model's tokenizer
     * @param interleaver   built for the mmproj's projectors and the text width
     * @param template      chat format, or null for a raw prompt
     * @param system        system instruction, or null
     * @param text          the user's text, with optional placeholders
     * @param imageTokens   soft tokens of each image file, in order
     * @param frameTokens   soft tokens of each video frame (0 when the video has no frames)
     * @param audio         16 kHz samples of each audio file, in order
     * @param frames        the video's sampled frames, or none
     * @param videoAudio    the video's audio track at 16 kHz, or null when it has none or the mmproj takes no audio
     * @param audioEncoder  lays out the clips, or null when there are none
     */
    public static MultimodalPrompt build(Tokenizer tokenizer, Interleaver interleaver, ChatTemplate template,
                                         String system, String text, List<Integer> imageTokens, int frameTokens,
                                         List<float[]> audio, List<VideoFrame> frames, float[] videoAudio,
                                         AudioEncoder audioEncoder) {
        List<float[]> clips = new ArrayList<>(audio);
        List<ChatMessage.Content> content;
        if (frames.isEmpty()) {
            content = Interleaver.userContent(text, imageTokens.size(), audio.size());
        } else {
            if (text.contains(Interleaver.IMAGE_PLACEHOLDER) || text.contains(Interleaver.AUDIO_PLACEHOLDER)) {
                throw new PromptException("with a video, images and audio clips go before it: the text cannot have "
                        + Interleaver.IMAGE_PLACEHOLDER + " or " + Interleaver.AUDIO_PLACEHOLDER + " placeholders");
            }
            content = new ArrayList<>();
            content.addAll(Collections.nCopies(imageTokens.size(), new ChatMessage.Image()));
            content.addAll(Collections.nCopies(audio.size(), new ChatMessage.Audio()));
            if (videoAudio == null) {
                content.addAll(VideoFrames.userContent(text, frames));
            } else {
                List<float[]> segments = VideoFrames.audioSegments(frames, videoAudio, 16_000);
                content.addAll(VideoFrames.userContent(text, frames, segments));
                clips.addAll(VideoFrames.nonEmpty(segments));
            }
        }
        List<Integer> images = new ArrayList<>(imageTokens);
        images.addAll(Collections.nCopies(frames.size(), frameTokens));
        List<int[]> pieces = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            if (audioEncoder == null) {
                throw new PromptException("audio clips given, but the mmproj has no audio encoder");
            }
            if (clips.get(i).length == 0) {
                throw new PromptException("audio clip " + i + " has no samples");
            }
            pieces.add(audioEncoder.chunkTokens(clips.get(i).length));
        }
        int[] ids;
        if (template != null) {
            List<ChatMessage> chat = new ArrayList<>();
            if (system != null) {
                chat.add(ChatMessage.system(system));
            }
            chat.add(new ChatMessage(ChatMessage.Role.USER, content));
            ids = interleaver.template(template).encode(tokenizer, chat, true);
        } else {
            if (system != null) {
                throw new PromptException("a system instruction needs the chat template");
            }
            ids = tokenizer.encode(interleaver.raw(content), true, true);
        }
        return new MultimodalPrompt(interleaver.expand(ids, images, pieces), content, clips);
    }

    /**
     * Soft tokens of audio chunk s on demand: the chunk of its clip is encoded when the decoder
     * reaches it, so memory holds one chunk's embeddings, not every clip's.
     */
    public IntFunction<float[]> audioEmbeddings(AudioEncoder encoder) {
        List<int[]> where = new ArrayList<>();
        for (int c = 0; c < clips.size(); c++) {
            int n = encoder.chunkTokens(clips.get(c).length).length;
            for (int k = 0; k < n; k++) {
                where.add(new int[] {c, k});
            }
        }
        return s -> encoder.encode(encoder.chunk(clips.get(where.get(s)[0]), where.get(s)[1]));
    }
}
