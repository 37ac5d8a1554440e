package io.tessera.pipeline.vision;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The projectors of {@code clip.projector_type} that the vision encoder runs. llama.cpp knows
 * many more (its {@code PROJECTOR_TYPE_NAMES}); any other name is an {@link MmprojFormatException}
 * that names it.
 */
public enum ProjectorType {
    /**
     * Gemma 3: SigLIP, then average pooling by {@code scale_factor} per side, RMSNorm with the
     * stored weight, and a projection into the text width (spec/MODELS.md §2.2).
     */
    GEMMA3("gemma3", true),
    /**
     * PaliGemma 1 and 2: SigLIP, then a linear projection with bias into the text width, no pooling
     * and no norm (spec/MODELS.md §3). Read from Hugging Face directories only; llama.cpp has no
     * mmproj projector of this name.
     */
    PALIGEMMA("paligemma", false);

    private final String ggufName;
    private final boolean inGguf;

    ProjectorType(String ggufName, boolean inGguf) {
        this.ggufName = ggufName;
        this.inGguf = inGguf;
    }

    /** The name in {@code clip.projector_type}. */
    public String ggufName() {
        return ggufName;
    }

    public static ProjectorType fromGguf(String file, String name) {
        for (ProjectorType t : values()) {
            if (t.inGguf && t.ggufName.equals(name)) {
                return t;
            }
        }
        throw new MmprojFormatException(file, "projector type '" + name + "' is not supported (supported: "
                + Arrays.stream(values()).filter(t -> t.inGguf).map(ProjectorType::ggufName).collect(Collectors.joining(", ")) + ")");
    }
}
