package io.tessera.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.tessera.media.MediaDump;
import io.tessera.media.MediaInput;
import io.tessera.media.Preset;
import io.tessera.media.Presets;
import io.tessera.media.audio.AudioFeatures;
import io.tessera.pipeline.audio.TaskGraphFeatureExtractor;
import io.tessera.tasks.api.Device;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tessera media}: the tensors a model would receive for one image, sound or video. */
@Command(name = "media",
        mixinStandardHelpOptions = true,
        description = {
            "Write the tensors a model would receive for one media file.",
            "",
            "Decodes the file (detected by content), preprocesses it as the preset says and writes "
                + "each tensor as .npy into the dump directory, printing shapes and statistics."})
final class MediaCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    static final class Kind {
        @Option(names = "--image", paramLabel = "FILE", required = true, description = "An image file.")
        Path image;

        @Option(names = "--audio", paramLabel = "FILE", required = true, description = "An audio file.")
        Path audio;

        @Option(names = "--video", paramLabel = "FILE", required = true, description = "A video file.")
        Path video;
    }

    @Option(names = "--preset", required = true, paramLabel = "NAME",
            description = "Preprocessing of a model family: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--dump", required = true, paramLabel = "DIR", description = "Directory for the .npy files.")
    Path dump;

    @Option(names = "--frames", description = "Also write the sampled video frames as PNG.")
    boolean frames;

    @Option(names = "--backend", paramLabel = "SEL",
            description = "Compute the audio features as task graphs on this device (jvm, opencl:pocl, ...); "
                    + "default: the plain Java extractor.")
    String backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Preset p;
        try {
            p = Presets.get(preset);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        MediaDump.Report report;
        TaskGraphFeatureExtractor onDevice = backend == null || p.audio() == null
                ? null : TaskGraphFeatureExtractor.on(p.audio(), Device.select(backend));
        try {
            Function<float[], List<AudioFeatures>> features = onDevice == null ? null : onDevice::extract;
            if (kind.image != null) {
                report = MediaDump.image(MediaInput.of(kind.image), p, dump);
            } else if (kind.audio != null) {
                report = MediaDump.audio(MediaInput.of(kind.audio), p, dump, features);
            } else {
                report = MediaDump.video(MediaInput.of(kind.video), p, dump, frames, features);
            }
        } finally {
            if (onDevice != null) {
                onDevice.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(report.input() + " (" + report.detectedType() + "), preset " + p.name()
                + (onDevice == null ? "" : ", audio features on " + onDevice.device().selector()));
        for (MediaDump.Tensor t : report.tensors()) {
            out.printf("  %-24s %-18s %s%n", t.name(), Arrays.toString(t.shape()), t.stats());
        }
        report.notes().forEach(n -> out.println("  " + n));
        report.pictures().forEach(f -> out.println("  wrote " + f));
        out.println("wrote " + report.tensors().size() + " tensors to " + dump);
        out.flush();
        return ExitCodes.OK;
    }

    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }
}
