# seqcast image, built from this repository: docker build -t seqcast .   (docker compose up builds it too)
# Build stage: the Maven wrapper's Maven and JDK 17; dependencies first, so that source edits reuse their layer.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY .mvn .mvn
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

# Run stage: a JRE, the jar with its lib/, and the bundled pipelines, models and demo data.
FROM eclipse-temurin:17-jre
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
# the heap is fixed and pre-touched for the long-lived engine (BENCHMARKS.md); set SEQCAST_JAVA_OPTS for other commands
ENTRYPOINT ["sh", "-c", "exec java $SEQCAST_JAVA_OPTS --add-modules jdk.incubator.vector -Dseqcast.home=/opt/seqcast -jar /opt/seqcast/seqcast.jar \"$@\"", "seqcast"]
CMD ["run"]
