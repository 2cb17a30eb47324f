package io.cragent.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code target/cr-agent.jar} as a child process ({@code java -jar cr-agent.jar [command]}), configured by
 * environment variables, its output kept in a file; started once {@code GET /healthcheck} on its port answers 200,
 * stopped and awaited on close.
 */
public final class RunningJar implements AutoCloseable {
    private final Process process;
    private final Path log;

    private RunningJar(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** {@code System.getProperty("agent.jar")} (set by failsafe), else {@code target/cr-agent.jar}. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("agent.jar", "target/cr-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the shaded jar is missing: " + jar + " (run 'mvn package')");
        }
        return jar;
    }

    public static RunningJar start(Path javaHome, Map<String, String> env, int port, String... args) throws Exception {
        Path log = Files.createTempFile("cr-agent-jar", ".log");
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        RunningJar jar = new RunningJar(builder.start(), log);
        HttpClient client = HttpClient.newHttpClient();
        // As AgentProcess and SnykBroker: a cold JVM on two loaded cores; a jar that dies is noticed at once.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && jar.process.isAlive()) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthcheck")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return jar;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        String output = jar.output();
        jar.close();
        throw new IllegalStateException("cr-agent.jar " + String.join(" ", args) + " did not come up:\n" + output);
    }

    /** The java process, e.g. for its CPU time. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
