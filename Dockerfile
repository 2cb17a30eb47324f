# One image for both roles: `agent` (default) or `client`. Build the jar first: ./mvnw -B package -DskipTests
# (No Docker engine runs on the build machines, so CI does not build this image.)
FROM eclipse-temurin:17-jre

RUN groupadd --system cragent && useradd --system --gid cragent --home-dir /app --shell /usr/sbin/nologin cragent
WORKDIR /app
COPY target/cr-agent.jar /app/cr-agent.jar

USER cragent
ENV SNYK_PORT=17500
EXPOSE 17500
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SNYK_PORT} && printf 'GET /healthcheck HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"ok\":true' <&3"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/cr-agent.jar"]
CMD ["agent"]
