package io.cragent.scan.apps.golang;

import io.cragent.testsupport.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Go toolchain for building real test binaries, installed when missing by
 * {@code src/test/resources/fixtures/apps/golang/install-go.sh} (apt {@code golang-go}). Builds run offline
 * ({@code GOPROXY=off}, vendored dependencies) with a build cache kept under {@code ~/.cache/cr-agent/go-build}.
 */
final class GoToolchain {
    private static final Path SCRIPT = Path.of("src/test/resources/fixtures/apps/golang/install-go.sh");
    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "cr-agent", "go-build");

    private final Path go;

    private GoToolchain(Path go) {
        this.go = go;
    }

    static GoToolchain installed() {
        Processes.Result result = Processes.run(Duration.ofMinutes(5), List.of("sh", SCRIPT.toString()), Map.of(),
                Path.of("."));
        String out = result.stdoutText().trim();
        if (!result.ok() || out.isEmpty()) {
            throw new IllegalStateException("no Go toolchain and " + SCRIPT + " could not install one: "
                    + result.stderr());
        }
        String[] lines = out.split("\n");
        return new GoToolchain(Path.of(lines[lines.length - 1].trim()));
    }

    Path goRoot() {
        try {
            return go.toRealPath().getParent().getParent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A module {@code example.com/app} requiring {@code example.com/lib v1.2.3} (vendored: packages
     * {@code example.com/lib} and {@code example.com/lib/sub}); returns its directory.
     */
    static Path writeModule(Path dir) throws IOException {
        Path app = dir.resolve("src/app");
        Files.createDirectories(app.resolve("vendor/example.com/lib/sub"));
        Files.writeString(app.resolve("go.mod"), "module example.com/app\n\ngo 1.18\n\nrequire example.com/lib v1.2.3\n");
        Files.writeString(app.resolve("main.go"), """
                package main

                import (
                	"fmt"

                	"example.com/lib"
                	"example.com/lib/sub"
                )

                func main() { fmt.Println(lib.Hello(), sub.Name) }
                """);
        Files.writeString(app.resolve("vendor/example.com/lib/lib.go"),
                "package lib\n\n//go:noinline\nfunc Hello() string { return \"hello\" }\n");
        Files.writeString(app.resolve("vendor/example.com/lib/sub/sub.go"), "package sub\n\nvar Name = name()\n\n//go:noinline\nfunc name() string { return \"sub\" }\n");
        Files.writeString(app.resolve("vendor/modules.txt"),
                "# example.com/lib v1.2.3\n## explicit\nexample.com/lib\nexample.com/lib/sub\n");
        return app;
    }

    /** {@code go build <flags> -o <out> .} in {@code module}, with CGO as given. */
    byte[] build(Path module, Path out, boolean cgo, String... flags) throws IOException {
        return buildFor(null, module, out, cgo, flags);
    }

    /** The same, cross-compiled for {@code goarch}; the host's architecture when null. */
    byte[] buildFor(String goarch, Path module, Path out, boolean cgo, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(go.toString(), "build"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", out.toString(), "."));
        Map<String, String> env = new HashMap<>(Map.of(
                "GOCACHE", CACHE.toString(),
                "GOPATH", module.getParent().resolve("gopath").toString(),
                "GOFLAGS", "-mod=vendor",
                "GOPROXY", "off",
                "GOTOOLCHAIN", "local",
                "CGO_ENABLED", cgo ? "1" : "0",
                "HOME", System.getProperty("user.home"),
                "PATH", System.getenv("PATH")));
        if (goarch != null) {
            env.put("GOARCH", goarch);
        }
        Processes.runChecked(Duration.ofMinutes(3), command, env, module);
        return Files.readAllBytes(out);
    }

    /** A binary's symbol addresses ({@code go tool nm}), by name. */
    Map<String, Long> symbols(Path binary) {
        String out = Processes.runChecked(Duration.ofMinutes(1), List.of(go.toString(), "tool", "nm", binary.toString()),
                Map.of("HOME", System.getProperty("user.home"), "PATH", System.getenv("PATH")), binary.getParent())
                .stdoutText();
        Map<String, Long> symbols = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && !parts[0].isEmpty()) {
                symbols.putIfAbsent(parts[2], Long.parseUnsignedLong(parts[0], 16));
            }
        }
        return symbols;
    }
}
