package io.tessera.pipeline.generate;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tessera.tasks.api.ImmutableTaskGraph;
import io.tessera.tasks.api.TaskSpec;
import io.tessera.tasks.api.TransferSpec;
import io.tessera.tasks.api.TypedArray;

/**
 * The ASCII dataflow diagram of one task graph: what it takes from the device and the host, each
 * task as {@code inputs --[task kernel]--> outputs} in execution order, what it leaves behind.
 * Buffers are named through a registry shared by all graphs of a decoder.
 */
final class GraphDiagram {
    /** One task: the arrays it reads and the arrays it writes, by identity. */
    private record Step(String task, List<TypedArray> in, List<TypedArray> out) {
    }

    private final Map<TypedArray, String> names;
    private final String title;
    private final List<Step> steps = new ArrayList<>();

    GraphDiagram(Map<TypedArray, String> names, String title) {
        this.names = names;
        this.title = title;
    }

    /** Records that {@code task} reads {@code in} and writes {@code out}. */
    void step(String task, List<TypedArray> in, List<TypedArray> out) {
        steps.add(new Step(task, List.copyOf(in), List.copyOf(out)));
    }

    String render(ImmutableTaskGraph graph) {
        Map<String, String> kernels = graph.tasks().stream().collect(Collectors.toMap(TaskSpec::name,
                t -> t.kernel().getDeclaringClass().getSimpleName() + "." + t.kernel().getName()));
        List<String[]> rows = new ArrayList<>();
        for (Step s : steps) {
            String kernel = kernels.get(s.task);
            if (kernel == null) {
                throw new IllegalStateException("diagram of " + graph.name() + " names task " + s.task
                        + ", which the graph does not have");
            }
            rows.add(new String[] {names(s.in), s.task + " " + kernel, names(s.out)});
        }
        int inWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int taskWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder("graph ").append(graph.name()).append(": ").append(title).append('\n');
        line(sb, "consumes from device", graph.consumed());
        line(sb, "copies to device", graph.toDevice().stream()
                .map(t -> names.getOrDefault(t.array(), t.array().toString()) + " (" + mode(t) + ")").toList(), true);
        for (String[] r : rows) {
            sb.append("  ").append(pad(r[0], inWidth)).append(" --[ ").append(pad(r[1], taskWidth)).append(" ]--> ")
                    .append(r[2]).append('\n');
        }
        line(sb, "copies to host", graph.toHost().stream().map(TransferSpec::array).toList());
        line(sb, "persists on device", graph.persisted());
        return sb.toString();
    }

    private static String mode(TransferSpec t) {
        return t.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private void line(StringBuilder sb, String what, List<TypedArray> arrays) {
        line(sb, what, arrays.stream().map(a -> names.getOrDefault(a, a.toString())).toList(), true);
    }

    private static void line(StringBuilder sb, String what, List<String> items, boolean skipEmpty) {
        if (items.isEmpty() && skipEmpty) {
            return;
        }
        sb.append("  ").append(what).append(": ").append(String.join(", ", items)).append('\n');
    }

    private String names(List<TypedArray> arrays) {
        return arrays.stream().map(a -> names.getOrDefault(a, a.toString())).collect(Collectors.joining(", "));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** A registry of buffer names for diagrams, keyed by array identity. */
    static Map<TypedArray, String> registry() {
        return new IdentityHashMap<>();
    }
}
