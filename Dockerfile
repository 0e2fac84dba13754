# seqcast image, built from this repository: docker build -t seqcast .   (docker compose up builds it too)
# Build stage: the Maven wrapper's Maven and JDK 17; dependencies first, so that source edits reuse their layer.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY .mvn .mvn
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

# Run stage: a JRE, the jar with its lib/, and the bundled pipelines, models and demo data; runs as user seqcast.
FROM eclipse-temurin:17-jre
# curl: the compose healthcheck's probe of /health/ready (installed here rather than assumed of the base image)
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 seqcast \
    && useradd --system --uid 10001 --gid seqcast --home-dir /var/lib/seqcast --shell /usr/sbin/nologin seqcast \
    && mkdir -p /var/lib/seqcast/state \
    && chown -R seqcast:seqcast /var/lib/seqcast
WORKDIR /opt/seqcast
COPY --from=build /src/target/seqcast.jar ./seqcast.jar
COPY --from=build /src/target/lib ./lib
COPY topology ./topology
COPY models ./models
COPY data ./data
# ND4J's OpenMP threads busy-wait by default; seqcast's hot path does not use them (as ./seqcast sets them).
ENV OMP_WAIT_POLICY=PASSIVE \
    MALLOC_ARENA_MAX=2 \
    OMP_NUM_THREADS=1 \
    SEQCAST_PIPELINES=/opt/seqcast/topology \
    SEQCAST_STATE_DIR=/var/lib/seqcast/state \
    SEQCAST_HTTP_BIND_ADDRESS=0.0.0.0 \
    SEQCAST_JAVA_OPTS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC"
EXPOSE 8080
# the application files stay root-owned and read-only to the process; it writes only its state directory
USER seqcast:seqcast
VOLUME /var/lib/seqcast
# the heap is fixed and pre-touched for the long-lived engine (BENCHMARKS.md); set SEQCAST_JAVA_OPTS for other commands
ENTRYPOINT ["sh", "-c", "exec java $SEQCAST_JAVA_OPTS --add-modules jdk.incubator.vector -Dseqcast.home=/opt/seqcast -jar /opt/seqcast/seqcast.jar \"$@\"", "seqcast"]
CMD ["run"]
# Health: docker-compose.yml probes /health/ready with curl (a test per service there, not one for every command).
