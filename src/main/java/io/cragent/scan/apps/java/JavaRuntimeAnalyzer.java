package io.cragent.scan.apps.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cragent.scan.apps.AppAnalyzer;
import io.cragent.scan.apps.AppContext;
import io.cragent.scan.apps.AppFindings;
import io.cragent.scan.apps.Fact;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The OS fact {@code baseRuntimes} = {@code [{"type":"java","version":…}]} from the JDK's {@code release} file.
 * With several JDKs the first release file in path order that names a version wins (the reference takes the first
 * file it met, newest layer first, and gives up if that one does not parse).
 */
public final class JavaRuntimeAnalyzer implements AppAnalyzer {
    /** A release file is a few hundred bytes. */
    private static final long RELEASE_CAP = 64 * 1024;

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(JavaRelease::isReleaseFile, RELEASE_CAP);
    }

    @Override
    public AppFindings analyze(ImageFiles files, AppContext context) {
        for (String path : files.paths(JavaRelease::isReleaseFile)) {
            Optional<String> version = files.file(path)
                    .flatMap(bytes -> JavaRelease.version(new String(bytes, StandardCharsets.UTF_8)));
            if (version.isPresent()) {
                ArrayNode data = JsonNodeFactory.instance.arrayNode();
                data.addObject().put("type", "java").put("version", version.get());
                return new AppFindings(List.of(), List.of(new Fact("baseRuntimes", data)));
            }
        }
        return AppFindings.NONE;
    }
}
