package io.tessera.tasks.compiler.ir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds lines in the test sources, so that tests about source lines do not hard-code numbers. */
public final class SourceLines {
    private SourceLines() {
    }

    public static int lineOf(String testSource, String text) {
        Path path = Path.of(System.getProperty("user.dir"), "src/test/java", testSource);
        try {
            List<String> lines = Files.readAllLines(path);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException(text + " is not in " + testSource);
    }
}
