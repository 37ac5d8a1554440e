package io.tessera.pipeline.vision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tessera.pipeline.generate.PromptException;
import io.tessera.tokenizer.ChatMessage;
import io.tessera.tokenizer.ChatTemplate;
import io.tessera.tokenizer.Marker;
import io.tessera.tokenizer.Tokenizer;

/**
 * Turns a prompt with images and audio clips into chunks for the decoder, laid out as llama.cpp
 * mtmd lays them out for the mmproj's projectors ({@link MediaWrap}). The chat template writes
 * each medium's open marker where it goes ({@link #template}); each becomes, for images,
 * [{@code \n\n}] open + the image's soft tokens + close [{@code \n\n}] (Gemma 3 writes the blank
 * lines: {@code [108, 255999, -2 x 256, 256000, 108]} in the JAX reference, spec/MODELS.md §2.5;
 * Gemma 4 {@code <|image>}…{@code <image|>} has none), and for audio, open + one chunk per encoder
 * chunk of the clip + close (Gemma 4 {@code <|audio>}…{@code <audio|>}, §4.2; mtmd.cpp splits
 * a clip into the chunks its preprocessor makes, between one pair of markers). Images and clips
 * are numbered separately, each in the order they appear; each image and each chunk has its own
 * token count.
 */
public final class Interleaver {
    /** The placeholder that puts an image inside the text of a user message. */
    public static final String IMAGE_PLACEHOLDER = "{image}";
    /** The placeholder that puts an audio clip inside the text of a user message. */
    public static final String AUDIO_PLACEHOLDER = "{audio}";
    private static final Pattern PLACEHOLDERS = Pattern.compile(Pattern.quote(IMAGE_PLACEHOLDER) + "|"
            + Pattern.quote(AUDIO_PLACEHOLDER));

    private final MediaWrap imageWrap;
    private final MediaWrap audioWrap;
    private final int imageOpen;
    private final int imageClose;
    private final int audioOpen;
    private final int audioClose;
    private final int[] blankLine;
    private final int width;
    /** Soft tokens of every image for {@link #expand(int[], int)}; 0 where images vary. */
    private final int softTokens;

    /** For {@code tokenizer}'s vocabulary, which must have the Gemma 3 image markers, and images of {@code vision}. */
    public Interleaver(Tokenizer tokenizer, VisionConfig vision) {
        this(tokenizer, MediaWrap.forVision(vision.projector()), null, vision.projectionDim(), vision.softTokens());
    }

    /**
     * For {@code tokenizer}'s vocabulary, which must have the markers of the wraps given; a null
     * wrap means the prompt takes no media of that kind. {@code width} is the text model's hidden size.
     */
    public Interleaver(Tokenizer tokenizer, MediaWrap images, MediaWrap audio, int width) {
        this(tokenizer, images, audio, width, 0);
    }

    private Interleaver(Tokenizer tokenizer, MediaWrap images, MediaWrap audio, int width, int softTokens) {
        this.imageWrap = images;
        this.audioWrap = audio;
        this.imageOpen = images == null ? -1 : marker(tokenizer, images.open(), "images");
        this.imageClose = images == null ? -1 : marker(tokenizer, images.close(), "images");
        this.audioOpen = audio == null ? -1 : marker(tokenizer, audio.open(), "audio");
        this.audioClose = audio == null ? -1 : marker(tokenizer, audio.close(), "audio");
        this.blankLine = tokenizer.encode("\n\n", false, false);
        this.width = width;
        this.softTokens = softTokens;
    }

    /**
     * For the parts {@code mmproj} has: images laid out for its vision projector, audio for its
     * audio projector; {@code width} is the text model's hidden size.
     */
    public static Interleaver forMmproj(Tokenizer tokenizer, Mmproj mmproj, int width) {
        return new Interleaver(tokenizer, mmproj.hasVision() ? MediaWrap.forVision(mmproj.config().projector()) : null,
                mmproj.audioIfPresent().map(a -> MediaWrap.forAudio(a.projector())).orElse(null), width);
    }

    private static int marker(Tokenizer tokenizer, String text, String kind) {
        for (Marker m : Marker.values()) {
            if (m.text().equals(text)) {
                return tokenizer.marker(m).orElseThrow(() -> new PromptException("the text model's vocabulary has no "
                        + text + " token, so it cannot take " + kind));
            }
        }
        throw new IllegalArgumentException(text + " is not a known marker token");
    }

    /**
     * {@code base} with this interleaver's open markers as its image and audio items, so that the
     * rendered conversation has one open marker where each medium goes.
     */
    public ChatTemplate template(ChatTemplate base) {
        return new ChatTemplate(base.name(), base.turnOpen(), base.turnClose(),
                imageWrap != null ? imageWrap.open() : base.imageItem(),
                audioWrap != null ? audioWrap.open() : base.audioItem(), base.systemTurn());
    }

    /**
     * Content items as raw prompt text, outside any chat turn: text as it is, each medium as its
     * open marker. The text is meant to be encoded with special tokens parsed.
     */
    public String raw(List<ChatMessage.Content> content) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage.Content c : content) {
            switch (c) {
                case ChatMessage.Text t -> sb.append(t.text());
                case ChatMessage.Image _ -> sb.append(wrap(imageWrap, "images").open());
                case ChatMessage.Audio _ -> sb.append(wrap(audioWrap, "audio").open());
            }
        }
        return sb.toString();
    }

    private static MediaWrap wrap(MediaWrap w, String kind) {
        if (w == null) {
            throw new PromptException("the prompt has " + kind + ", but the mmproj has no encoder for them");
        }
        return w;
    }

    /**
     * The content of a user message: {@code text} with an image item at each {@link #IMAGE_PLACEHOLDER},
     * or, when there is none, {@code images} image items first and then the text.
     */
    public static List<ChatMessage.Content> userContent(String text, int images) {
        return userContent(text, images, 0);
    }

    /**
     * The content of a user message: {@code text} with an image item at each {@link #IMAGE_PLACEHOLDER}
     * and an audio item at each {@link #AUDIO_PLACEHOLDER}. A kind with no placeholder in the text
     * goes first (images, then audio clips); a kind with placeholders needs one per medium.
     */
    public static List<ChatMessage.Content> userContent(String text, int images, int audio) {
        int imageMarks = 0;
        int audioMarks = 0;
        Matcher m = PLACEHOLDERS.matcher(text);
        while (m.find()) {
            if (m.group().equals(IMAGE_PLACEHOLDER)) {
                imageMarks++;
            } else {
                audioMarks++;
            }
        }
        if (imageMarks != 0 && imageMarks != images) {
            throw new PromptException("the prompt has " + imageMarks + " " + IMAGE_PLACEHOLDER + " placeholders for "
                    + images + " images");
        }
        if (audioMarks != 0 && audioMarks != audio) {
            throw new PromptException("the prompt has " + audioMarks + " " + AUDIO_PLACEHOLDER + " placeholders for "
                    + audio + " audio clips");
        }
        List<ChatMessage.Content> content = new ArrayList<>();
        if (imageMarks == 0) {
            content.addAll(Collections.nCopies(images, new ChatMessage.Image()));
        }
        if (audioMarks == 0) {
            content.addAll(Collections.nCopies(audio, new ChatMessage.Audio()));
        }
        if (imageMarks == 0 && audioMarks == 0) {
            content.add(new ChatMessage.Text(text));
            return content;
        }
        m = PLACEHOLDERS.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                content.add(new ChatMessage.Text(text.substring(at, m.start())));
            }
            content.add(m.group().equals(IMAGE_PLACEHOLDER) ? new ChatMessage.Image() : new ChatMessage.Audio());
            at = m.end();
        }
        if (at < text.length()) {
            content.add(new ChatMessage.Text(text.substring(at)));
        }
        return content;
    }

    /**
     * Expands each image open marker of {@code ids} into an image block; there must be {@code images}
     * of them, each of the vision config's soft tokens.
     */
    public InterleavedPrompt expand(int[] ids, int images) {
        if (softTokens == 0) {
            throw new IllegalStateException("this interleaver takes a token count per image");
        }
        return expand(ids, Collections.nCopies(images, softTokens), List.of());
    }

    /**
     * Expands each open marker of {@code ids}: image k into a block of {@code imageTokens.get(k)}
     * soft tokens, audio clip k into one chunk per entry of {@code audioChunkTokens.get(k)} (the
     * token counts of its encoder chunks, in order). The markers must match the counts given.
     */
    public InterleavedPrompt expand(int[] ids, List<Integer> imageTokens, List<int[]> audioChunkTokens) {
        if (imageWrap == null && !imageTokens.isEmpty()) {
            throw new PromptException(imageTokens.size() + " images given, but the mmproj has no vision encoder");
        }
        if (audioWrap == null && !audioChunkTokens.isEmpty()) {
            throw new PromptException(audioChunkTokens.size() + " audio clips given, but the mmproj has no audio "
                    + "encoder");
        }
        List<PromptChunk> chunks = new ArrayList<>();
        List<Integer> text = new ArrayList<>();
        int image = 0;
        int clip = 0;
        int segment = 0;
        for (int id : ids) {
            if (id == imageOpen) {
                if (image == imageTokens.size()) {
                    throw new PromptException("the prompt has more " + imageWrap.open() + " markers than the "
                            + imageTokens.size() + " images given");
                }
                if (imageWrap.blankLines()) {
                    addAll(text, blankLine);
                }
                text.add(imageOpen);
                flush(chunks, text);
                chunks.add(new PromptChunk.Image(image, imageTokens.get(image), width, imageWrap.bidirectional()));
                image++;
                text.add(imageClose);
                if (imageWrap.blankLines()) {
                    addAll(text, blankLine);
                }
            } else if (id == audioOpen) {
                if (clip == audioChunkTokens.size()) {
                    throw new PromptException("the prompt has more " + audioWrap.open() + " markers than the "
                            + audioChunkTokens.size() + " audio clips given");
                }
                int[] pieces = audioChunkTokens.get(clip);
                if (pieces.length == 0) {
                    throw new PromptException("audio clip " + clip + " has no samples");
                }
                if (audioWrap.blankLines()) {
                    addAll(text, blankLine);
                }
                text.add(audioOpen);
                flush(chunks, text);
                for (int tokens : pieces) {
                    chunks.add(new PromptChunk.Audio(segment++, clip, tokens, width));
                }
                clip++;
                text.add(audioClose);
                if (audioWrap.blankLines()) {
                    addAll(text, blankLine);
                }
            } else {
                text.add(id);
            }
        }
        if (image != imageTokens.size()) {
            throw new PromptException("the prompt has " + image + " " + imageWrap.open() + " markers for "
                    + imageTokens.size() + " images");
        }
        if (clip != audioChunkTokens.size()) {
            throw new PromptException("the prompt has " + clip + " " + audioWrap.open() + " markers for "
                    + audioChunkTokens.size() + " audio clips");
        }
        flush(chunks, text);
        return new InterleavedPrompt(chunks, image, segment);
    }

    private static void addAll(List<Integer> text, int[] ids) {
        for (int t : ids) {
            text.add(t);
        }
    }

    private static void flush(List<PromptChunk> chunks, List<Integer> text) {
        if (!text.isEmpty()) {
            chunks.add(new PromptChunk.Text(text.stream().mapToInt(Integer::intValue).toArray()));
            text.clear();
        }
    }
}
