# syntax=docker/dockerfile:1
# One image, three roles: `agent` (the default), `client`, or `scan <image> [options]`, as the first argument:
#   docker build -t cr-agent .
#   docker run -p 17500:17500 -v cr-agent-data:/var/lib/cr-agent cr-agent
#   docker run -p 7341:7341 -e BROKER_TOKEN=… -e BROKER_SERVER_URL=… -e CR_AGENT_URL=… cr-agent client
#   docker run --rm cr-agent scan registry.example.com/team/app:1.0 --format table
# No Docker engine runs on the project's build machines: DockerfileTest checks this file's structure and
# CdsArchiveIT runs its class-data-sharing step (docker/cds-train.sh) against the packaged jar.

## Build: the jar, with the Maven wrapper (dependencies cached between builds by BuildKit).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -ntp -DskipTests package

## Runtime: a JRE, the jar, and a class-data-sharing archive made here for this JRE and this jar path.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 cragent \
 && useradd --system --uid 10001 --gid cragent --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin cragent \
 && mkdir -p /var/lib/cr-agent \
 && chown cragent:cragent /var/lib/cr-agent
COPY --from=build /build/target/cr-agent.jar /opt/cr-agent/cr-agent.jar
COPY docker/healthcheck.sh /opt/cr-agent/healthcheck.sh
# Each role runs once (scan of a tiny layout, agent and client answering a few requests) and the classes they
# load are archived: a cold `scan` takes about half the CPU time, an agent start about two thirds (README).
# An archive that does not fit the JVM (other JRE, other jar path) is ignored with a warning on stderr.
RUN --mount=type=bind,source=docker,target=/tmp/cds-scripts \
    bash /tmp/cds-scripts/cds-train.sh /opt/cr-agent/cr-agent.jar /opt/cr-agent/cr-agent.jsa

# Job state and the callback spool: mount a volume here so that a restart finds them.
ENV CR_AGENT_DATA_DIR=/var/lib/cr-agent
USER 10001:10001
WORKDIR /var/lib/cr-agent
# The agent's SNYK_PORT and the client's PORT.
EXPOSE 17500 7341
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/cr-agent/healthcheck.sh"]
# Heap from the container's memory limit; JVM warnings to stderr so that `scan` keeps stdout for its result.
# Add JVM options with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:SharedArchiveFile=/opt/cr-agent/cr-agent.jsa", "-Xshare:auto", \
            "-Xlog:disable", "-Xlog:all=warning:stderr", \
            "-jar", "/opt/cr-agent/cr-agent.jar"]
CMD ["agent"]
