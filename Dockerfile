# Outcrop: build with GDAL's headers, run on a slim image with the GDAL runtime.
# docker build -t outcrop .
# docker run -p 8080:8080 -v outcrop-store:/store outcrop
# docker run --entrypoint outcrop -v outcrop-store:/store -v $PWD:/in outcrop ingest --store /store --id geology /in/geology.gpkg

FROM golang:1.26-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal-dev libgeos-dev pkg-config npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN server/viewer/vendor.sh \
 && go build -trimpath -ldflags "-s -w" -o /out/outcrop ./cmd/outcrop

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal32 ca-certificates fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /store outcrop \
 && mkdir -p /store && chown outcrop /store
COPY --from=build /out/outcrop /usr/local/bin/outcrop
USER outcrop
VOLUME /store
EXPOSE 8080
ENTRYPOINT ["outcrop", "serve", "--store", "/store"]
CMD ["--addr", ":8080"]
