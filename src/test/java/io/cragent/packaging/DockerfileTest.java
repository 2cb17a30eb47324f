package io.cragent.packaging;

import io.cragent.packaging.DockerfileModel.Instruction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile cannot be built here (no engine; hadolint is not packaged for Debian either), so its structure is
 * checked: a Maven build stage, a JRE-only runtime that runs as a non-root user, a healthcheck script that ships,
 * an entry point on the jar with container-aware JVM flags and the class-data-sharing archive, and a build context
 * (.dockerignore) that holds every file the build copies.
 */
class DockerfileTest {
    private static DockerfileModel dockerfile;
    private static List<String> ignoreRules;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = DockerfileModel.read(Path.of("Dockerfile"));
        ignoreRules = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void buildsWithTheWrapperThenRunsOnAJre() {
        List<Instruction> froms = dockerfile.all("FROM");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(dockerfile.all("RUN")).filteredOn(r -> r.stage() < dockerfile.finalStage())
                .anyMatch(r -> r.args().contains("./mvnw") && r.args().contains(" package"));
        String runtimeBase = froms.get(dockerfile.finalStage()).operands().get(0);
        assertThat(runtimeBase).as("runtime base image").matches("eclipse-temurin:17-jre(-.*)?");
    }

    @Test
    void runsAsANonRootUserAfterEveryRootStep() {
        Instruction user = dockerfile.only("USER");
        String who = user.args().split(":")[0];
        assertThat(who).isNotIn("root", "0");
        List<Instruction> runtime = dockerfile.instructions().stream()
                .filter(i -> i.stage() == dockerfile.finalStage()).toList();
        int userAt = runtime.indexOf(user);
        assertThat(runtime.subList(userAt, runtime.size())).noneMatch(i -> i.keyword().equals("RUN"));
        // The data directory (a volume in production) and the working directory belong to that user.
        String dataDir = env("CR_AGENT_DATA_DIR");
        assertThat(dockerfile.runtime("RUN")).anyMatch(r -> r.args().contains("mkdir -p " + dataDir)
                && r.args().matches(".*chown \\S+ " + dataDir + ".*"));
        assertThat(dockerfile.only("WORKDIR").args()).isEqualTo(dataDir);
        assertThat(dockerfile.runtime("RUN")).anyMatch(r -> r.args().contains("--uid " + who)
                || r.args().matches(".*useradd .*\\b" + who + "$"));
    }

    @Test
    void entryPointRunsTheJarWithContainerFlagsAndTheCdsArchive() {
        List<String> entry = dockerfile.only("ENTRYPOINT").execForm();
        assertThat(entry.get(0)).isEqualTo("java");
        int jarAt = entry.indexOf("-jar");
        assertThat(jarAt).isPositive();
        String jar = entry.get(jarAt + 1);
        assertThat(entry).hasSize(jarAt + 2); // the role and its arguments come from CMD or docker run
        String buildStage = dockerfile.all("FROM").get(0).args().replaceFirst("(?i).* AS ", "");
        assertThat(dockerfile.runtime("COPY")).anyMatch(c -> buildStage.equals(c.option("from"))
                && c.operands().get(0).endsWith("target/cr-agent.jar") && c.operands().get(1).equals(jar));
        List<String> jvm = entry.subList(1, jarAt);
        assertThat(jvm).anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage="));
        // Warnings must not reach stdout, where `scan` writes its result.
        assertThat(jvm).containsSubsequence("-Xlog:disable", "-Xlog:all=warning:stderr");
        String archive = jvm.stream().filter(f -> f.startsWith("-XX:SharedArchiveFile=")).findFirst()
                .orElseThrow().substring("-XX:SharedArchiveFile=".length());
        assertThat(dockerfile.runtime("RUN")).anyMatch(r -> r.args().contains("cds-train.sh " + jar + " " + archive));
        assertThat(Path.of("docker/cds-train.sh")).exists();
        assertThat(jvm).doesNotContain("-Xshare:on"); // an archive that does not fit must not stop the process
    }

    @Test
    void defaultRoleIsTheAgentAndEveryRoleIsACommand() throws Exception {
        List<String> cmd = dockerfile.only("CMD").execForm();
        assertThat(cmd).containsExactly("agent");
        Object[] commands = Class.forName("io.cragent.Command").getEnumConstants();
        assertThat(Arrays.stream(commands).map(c -> c.toString().toLowerCase(Locale.ROOT)))
                .contains(cmd.get(0), "client", "scan");
    }

    @Test
    void healthcheckRunsAShippedScriptOnTheRolesPorts() throws IOException {
        Instruction health = dockerfile.only("HEALTHCHECK");
        assertThat(health.args()).contains("--interval=", "--timeout=", "--start-period=");
        String script = health.execForm().get(0);
        Instruction copy = dockerfile.runtime("COPY").stream().filter(c -> c.operands().get(1).equals(script))
                .findFirst().orElseThrow(() -> new AssertionError(script + " is not copied into the image"));
        String text = Files.readString(Path.of(copy.operands().get(0)));
        assertThat(text).contains("/healthcheck", "SNYK_PORT", "PORT");
        assertThat(dockerfile.only("EXPOSE").operands())
                .contains(EnvDefaults.agent().get("SNYK_PORT"), "7341");
    }

    @Test
    void buildContextHoldsWhatTheBuildCopiesAndNothingBulky() throws IOException {
        List<String> sources = new ArrayList<>();
        for (Instruction copy : dockerfile.all("COPY")) {
            if (copy.option("from") == null) {
                sources.addAll(copy.operands().subList(0, copy.operands().size() - 1));
            }
        }
        for (Instruction run : dockerfile.all("RUN")) {
            String bind = run.option("mount");
            if (bind != null && bind.contains("type=bind")) {
                sources.add(bind.replaceFirst(".*source=([^,]+).*", "$1"));
            }
        }
        assertThat(sources).contains("mvnw", "pom.xml", "src/", "docker");
        for (String source : sources) {
            assertThat(Path.of(source)).as(source).exists();
            try (Stream<Path> files = Files.walk(Path.of(source))) {
                assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                        .as(source + " in the build context").anyMatch(DockerfileTest::inContext);
            }
        }
        assertThat(inContext("src/main/java/io/cragent/Application.java")).isTrue();
        assertThat(inContext("src/main/resources/application.properties")).isTrue();
        assertThat(inContext("docker/cds-train.sh")).isTrue();
        assertThat(inContext("docker/cds-training-image.sh")).isTrue();
        assertThat(inContext(".mvn/wrapper/maven-wrapper.properties")).isTrue();
        assertThat(inContext("target/cr-agent.jar")).isFalse();
        assertThat(inContext("src/test/resources/fixtures")).isFalse();
        assertThat(inContext(".git")).isFalse();
    }

    private static String env(String name) {
        return dockerfile.runtime("ENV").stream().flatMap(e -> e.operands().stream())
                .filter(kv -> kv.startsWith(name + "=")).map(kv -> kv.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("ENV " + name + " not set"));
    }

    /** .dockerignore as the builder applies it: the last rule matching the path or one of its parents wins. */
    private static boolean inContext(String path) {
        boolean included = true;
        for (String rule : ignoreRules) {
            boolean exception = rule.startsWith("!");
            String pattern = (exception ? rule.substring(1) : rule).replaceFirst("/$", "");
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    included = exception;
                    break;
                }
            }
        }
        return included;
    }
}
