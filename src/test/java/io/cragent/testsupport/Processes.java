package io.cragent.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs external tools (skopeo, htpasswd) with a hard timeout and captured output. */
public final class Processes {

    /** Own daemon threads: the common pool may have a single thread on small machines and deadlock the drains. */
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "process-output-drain");
        thread.setDaemon(true);
        return thread;
    });

    private Processes() {
    }

    /** Outcome of one command; stdout is kept as bytes because `skopeo inspect --raw` must hash exactly. */
    public record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs and throws (with the tool's stderr) unless the exit code is 0. */
    public static Result runChecked(Duration timeout, List<String> command) {
        return runChecked(timeout, command, Map.of(), null);
    }

    public static Result runChecked(Duration timeout, List<String> command, Map<String, String> env, Path workDir) {
        Result result = run(timeout, command, env, workDir);
        if (!result.ok()) {
            throw new IllegalStateException("command failed with exit code " + result.exitCode() + ": "
                    + String.join(" ", redact(command)) + "\nstderr:\n" + result.stderr()
                    + (result.stdout().length > 0 ? "\nstdout:\n" + result.stdoutText() : ""));
        }
        return result;
    }

    /** Runs without judging the exit code; a timeout kills the process tree and throws. */
    public static Result run(Duration timeout, List<String> command, Map<String, String> env, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        // Both pipes are drained concurrently so a chatty tool can never block on a full pipe.
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process);
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", redact(command))
                        + "\nstderr so far:\n" + new String(err.getNow(new byte[0]), StandardCharsets.UTF_8));
            }
            return new Result(List.copyOf(command), process.exitValue(), out.get(10, TimeUnit.SECONDS),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            destroyTree(process);
            throw new IllegalStateException("cannot collect output of " + command.get(0), e);
        }
    }

    /** Kills a process and everything it spawned, by handle (never by name). */
    public static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                return buffer.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        }, DRAINERS);
    }

    /** Credentials passed as `user:pass` arguments must not end up in exception messages. */
    static List<String> redact(List<String> command) {
        String[] copy = command.toArray(new String[0]);
        for (int i = 0; i + 1 < copy.length; i++) {
            if (copy[i].endsWith("-creds") || copy[i].equals("--creds")) {
                int colon = copy[i + 1].indexOf(':');
                copy[i + 1] = (colon >= 0 ? copy[i + 1].substring(0, colon) : "") + ":***";
            }
        }
        return List.of(copy);
    }
}
