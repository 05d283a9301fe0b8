# Outcrop — two commands for a newcomer:
#   make demo   install what is missing, build, ingest the bundled data, serve
#   make test   install what the tests need, build, run every test
.DEFAULT_GOAL := help
SHELL := /bin/bash

GO      ?= go
BIN     := bin/outcrop
STORE   ?= build/store
ADDR    ?= localhost:8080
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
export PATH := $(PATH):/usr/local/go/bin

# System packages: building needs GDAL and GEOS headers and Node for the
# viewer's vendored MapLibre; the tests also drive real clients.
BUILD_DEBS := libgdal-dev libgeos-dev pkg-config gcc
# The fonts serve draws label glyphs from (Latin, Vietnamese, Thai, Lao,
# Khmer, Myanmar; Chinese, Japanese, Korean).
FONT_DEBS  := fonts-noto-core fonts-noto-cjk
TEST_DEBS  := $(BUILD_DEBS) $(FONT_DEBS) gdal-bin chromium nginx-light wrk python3-owslib raptor2-utils python3-qgis libxml2-utils

.PHONY: help deps deps-test build build-server viewer demo demo-store test soak fleet-test bench bench-fleet bench-portal bench-raster bench-raster-serve bench-tiles bench-compile bench-downloads bench-wms bench-overzoom clean

help:
	@echo "make demo    build, ingest the bundled data into $(STORE) and serve it on http://$(ADDR)/map/"
	@echo "make test    run every test (installs Debian packages it needs)"
	@echo "make soak    the reliability soak: load, hot swap, in-place overwrite, kill -9, slow clients, corrupt files (SOAK_TIME=60s each), hostile input, fuzzing (FUZZTIME=90s a target)"
	@echo "make fleet-test  three serve --sync replicas behind nginx under wrk load for FLEET_TIME=2m while five versions are published and a replica is killed"
	@echo "make bench   benchmarks: ingest throughput, serving throughput beside nginx"
	@echo "make bench-fleet  a replica direct beside the nginx cache in front of three, and publish-to-served time of a 50,000-unit map"
	@echo "make bench-raster  a float32 grid's pyramid (z0-10) beside gdal2tiles.py (BENCH_RASTER_CELLS=8000x8000)"
	@echo "make bench-raster-serve  rendered raster tiles (ramp + hillshade): uncached p50, cached requests/s beside vector tiles"
	@echo "make bench-tiles  tile quality, time, memory and bytes beside tippecanoe and ogr2ogr"
	@echo "make bench-compile  outcrop compile of two 50,000-unit maps beside ingesting them (BENCH_COMPILE_UNITS=)"
	@echo "make bench-portal  the catalogue's and the map's load and first paint in headless Chromium, on the demo store"
	@echo "make bench-downloads  CPU per feature of each download format beside ogr2ogr"
	@echo "make bench-wms  a 1024x768 WMS GetMap of the demo geology beside MapServer (FastCGI behind nginx): req/s, p50, CPU per map"
	@echo "make bench-overzoom  overzoomed tiles of a dense map, 1-4 zooms past its max zoom: cut, cold, cached beside stored tiles (OUTCROP_BENCH_OVERZOOM_STORE=DIR for the 50,000-unit map)"
	@echo "make build   build $(BIN) (cgo, with GDAL); make build-server: a pure-Go server-only binary"

# deps installs only what is missing, with apt-get (through sudo when not root).
define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_DEBS) $(FONT_DEBS))
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@# Debian's Go (1.21 or newer) fetches the Go 1.26 toolchain go.mod asks for by itself.
	@command -v $(GO) >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go; }

deps-test: deps
	$(call apt_install,$(TEST_DEBS))
	@npm ci --silent --no-audit --no-fund --prefix e2e/testdata/openapi-validator
	@npm ci --silent --no-audit --no-fund --prefix e2e/testdata/geojsonhint
	@npm ci --silent --no-audit --no-fund --prefix e2e/testdata/ogcapi-features-client
	@npm ci --silent --no-audit --no-fund --prefix e2e/testdata/pmtiles-maplibre
	@# The S3-compatible server objstore's tests start (SeaweedFS), built once into ~/.cache/outcrop.
	@objstore/testdata/weed.sh >/dev/null

viewer:
	@server/viewer/vendor.sh

build: deps viewer
	@echo "building $(BIN): the first build downloads the Go modules and compiles the GDAL bindings (cgo): about two minutes without output"
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/outcrop

build-server: viewer
	@echo "building bin/outcrop-server (pure Go, no GDAL)"
	CGO_ENABLED=0 $(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/outcrop-server ./cmd/outcrop

# The demo store holds the bundled real data and a synthetic map and
# occurrences generated here, each harmonised onto GeoSciML-Lite or
# EarthResourceML-Lite by its mapping in data/mappings (the reports are
# served at /collections/{id}/harmonisation).
# demo-store ingests the demo's tilesets into $(STORE); demo serves them.
# The GSWA maps carry OneGeology's country, theme, data owner and scale,
# their max zoom kept at the one their detail gives; the synthetic maps a
# theme only, so that no OneGeology title hides that they are synthetic.
demo-store: build
	@mkdir -p $(STORE) build/synth
	@echo "generating the synthetic map and occurrences, then ingesting eight tilesets into $(STORE) (under a minute)"
	$(BIN) synth geology --out build/synth/sea-geology.geojson
	$(BIN) synth occurrences --out build/synth/sea-occurrences.geojson
	$(BIN) ingest --quiet --store $(STORE) --id basemap --title "Basemap (Natural Earth)" \
	  --description "Ocean, land, lakes, rivers, coastlines, country borders and populated places: Natural Earth 1:110m for the world, 1:10m for Southeast Asia; the viewer draws it below every other layer" --keywords "basemap,Natural Earth" \
	  --attribution "Made with Natural Earth" --license "public domain" \
	  --maxzoom 6 --precision 5 --drop-rate 1 \
	  data/basemap/basemap.vrt
	$(BIN) ingest --quiet --store $(STORE) --id asean-borders --title "ASEAN borders (Natural Earth 1:10m)" \
	  --description "Country borders of the ASEAN states, Timor-Leste and southern China, the reference boundary for cross-border compilation" --keywords "borders,ASEAN,Natural Earth" \
	  --attribution "Natural Earth (public domain), via world-atlas © Mike Bostock" --license "public domain" \
	  data/borders/asean-borders-10m.geojson
	$(BIN) ingest --quiet --store $(STORE) --id porphyry-copper --title "Porphyry copper deposits (USGS 2008)" \
	  --description "690 porphyry copper deposits of the world with grades and tonnages, harmonised onto EarthResourceML-Lite" --keywords "mineral occurrences,copper,porphyry,USGS" \
	  --attribution "Singer, Berger and Moring 2008, USGS OFR 2008-1155" --license "public domain" \
	  --mapping data/mappings/porphyry-copper.yaml --time-field DiscoveryDate --theme occurrences \
	  data/occurrences/usgs-porphyry-copper-deposits-2008.csv
	$(BIN) ingest --quiet --store $(STORE) --id gswa-geology --title "Hamersley bedrock geology 1:500k (GSWA)" \
	  --description "Interpreted bedrock geology of the Hamersley region, Western Australia, harmonised onto GeoSciML-Lite" --keywords "geology,bedrock,Hamersley,Western Australia,1:500000" \
	  --attribution "Geological Survey of Western Australia" --license CC-BY-4.0 \
	  --mapping data/mappings/gswa-geology.yaml \
	  --country AUS --theme geology --data-owner GSWA --scale 1:500000 --maxzoom 9 \
	  data/geology/gswa-hamersley/geology.geojson
	$(BIN) ingest --quiet --store $(STORE) --id gswa-faults --title "Hamersley faults 1:500k (GSWA)" \
	  --description "Faults of the Hamersley region, Western Australia, harmonised onto GeoSciML-Lite" --keywords "faults,Hamersley,Western Australia,1:500000" \
	  --attribution "Geological Survey of Western Australia" --license CC-BY-4.0 \
	  --mapping data/mappings/gswa-faults.yaml \
	  --country AUS --theme structure --data-owner GSWA --scale 1:500000 --maxzoom 9 \
	  data/geology/gswa-hamersley/faults.geojson
	$(BIN) ingest --quiet --store $(STORE) --id sea-geology --title "SYNTHETIC Southeast Asian geology (not a real map)" \
	  --description "A synthetic geological map of northern Thailand and its neighbours, generated by outcrop synth: not a survey map" --keywords "geology,synthetic,Thailand" \
	  --attribution "Synthetic data generated by outcrop synth" --license CC0-1.0 \
	  --mapping data/mappings/sea-geology.yaml --lang th --theme geology \
	  build/synth/sea-geology.geojson
	$(BIN) ingest --quiet --store $(STORE) --id sea-occurrences --title "SYNTHETIC Southeast Asian mineral occurrences (not real)" \
	  --description "Synthetic mineral occurrences over the synthetic map, generated by outcrop synth: not real" --keywords "mineral occurrences,synthetic,Thailand" \
	  --attribution "Synthetic data generated by outcrop synth" --license CC0-1.0 \
	  --mapping data/mappings/sea-occurrences.yaml --lang th --theme occurrences \
	  build/synth/sea-occurrences.geojson
	$(BIN) ingest --quiet --store $(STORE) --id slab2-depth --title "Slab2 depth to the subducting slab, Sumatra–Java (USGS)" \
	  --description "Depth to the top of the subducting Indo-Australian slab beneath Sumatra and Java, in km (negative below sea level), from the Slab2 subduction-zone model" --keywords "subduction,slab,depth,Sumatra,Java,Slab2" \
	  --attribution "Hayes et al. 2018, Slab2, USGS" --license "public domain" --units km --country IDN --theme geophysics \
	  data/rasters/slab2-sumatra-java/sum_slab2_dep_02.23.18.grd

demo: demo-store
	@echo "starting the server on $(ADDR) (on a VM, make demo ADDR=:8080 listens on every interface)"
	$(BIN) serve --store $(STORE) --addr $(ADDR)

# Real clients (GDAL, OWSLib, QGIS, Chromium, the OpenAPI and MapLibre style
# validators, geojsonhint) are part of the one test run: deps-test installs them all.
test: deps-test viewer
	$(GO) vet ./...
	@# e2e alone takes over 10 minutes (go test's default timeout) on two busy cores.
	OUTCROP_TEST_QGIS=1 $(GO) test -count=1 -timeout 60m ./...
	@# The server-only binary (no cgo, no GDAL) has its own command line.
	CGO_ENABLED=0 $(GO) test -count=1 ./cmd/outcrop
	@# The race detector over the concurrent serving packages (the store's live
	@# reload, the server's caches); on tiles and tileset it costs 7-8x.
	$(GO) test -race -count=1 ./server/... ./store/... ./overzoom/...

# The reliability soak, not part of make test (which runs each part's
# short form): every part runs SOAK_TIME on loopback against the real
# binary, prints its figures and passes only with zero failures.
# Then each fuzz target over the server's query parsers runs FUZZTIME; a
# crasher is written under server/testdata/fuzz, to be committed with its fix.
SOAK_TIME ?= 60s
FUZZTIME  ?= 90s
soak: deps-test viewer
	OUTCROP_SOAK=$(SOAK_TIME) $(GO) test -count=1 -v -timeout 0 -run '^TestSoak' ./e2e/
	@for f in $$($(GO) test -list '^Fuzz' ./server/ | grep '^Fuzz'); do \
	  echo "fuzzing $$f for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) ./server/ || exit 1; \
	done

# The fleet test's long form (make test runs a 10 s one): SeaweedFS, three
# outcrop serve --sync replicas and nginx with proxy_cache in front, under
# wrk and map clients for FLEET_TIME while a new version is published five
# times and a replica is killed (SIGKILL) and restarted; zero failures.
FLEET_TIME ?= 2m
fleet-test: deps-test viewer
	OUTCROP_FLEET=1 FLEET_TIME=$(FLEET_TIME) $(GO) test -count=1 -v -timeout 0 -run '^TestFleet$$' ./e2e/

bench: deps-test viewer
	$(call apt_install,time curl python3-gdal)
	bench/run.sh
	bench/raster.sh
	bench/raster-serve.sh
	bench/portal.sh
	$(MAKE) bench-fleet
	$(MAKE) bench-wms

# The fleet of make fleet-test with a SYNTHETIC 50,000-unit map: the time
# from outcrop publish to a replica serving it (goal: under 10 s), and its
# tiles from one replica direct beside nginx's cache, with the hit ratio.
# OUTCROP_BENCH_FLEET_STORE=DIR reuses a store holding geology.tileset.
bench-fleet: deps-test viewer
	$(GO) test -count=1 -run '^$$' -bench '^BenchmarkFleet$$' -benchtime 1x -timeout 30m ./e2e/

# The portal's load times in headless Chromium (the catalogue, the map page,
# its first paint and readiness), served from the demo store.
bench-portal: viewer
	bench/portal.sh

# outcrop ingest of a SYNTHETIC float32 magnetic grid, zooms 0-10, beside
# gdal2tiles.py --processes=2 (Debian's python3-gdal) on the same grid.
bench-raster: deps
	$(call apt_install,time gdal-bin python3-gdal)
	bench/raster.sh

# Rendered PNG tiles of a SYNTHETIC float32 grid (ramp + hillshade): p50 of
# tiles each drawn once, and cached requests/s beside vector tiles (wrk).
bench-raster-serve: deps
	$(call apt_install,wrk curl python3)
	bench/raster-serve.sh

# Tile quality and speed beside tippecanoe (TIPPECANOE=path/to/binary, built
# outside this repository) and ogr2ogr -f MVT, on the 50,000-unit synthetic map.
bench-tiles: deps
	$(call apt_install,time gdal-bin)
	bench/tiles.sh

# outcrop compile of two SYNTHETIC national maps along the Thailand–Lao
# border beside outcrop ingest of each: the wall-time ratio and peak RSS.
bench-compile: deps
	$(call apt_install,time gdal-bin)
	bench/compile.sh

# The download writers (GeoPackage, CSV, Shapefile, GeoJSON) on 100,000
# SYNTHETIC occurrences beside ogr2ogr converting the same features.
bench-downloads:
	$(call apt_install,time gdal-bin)
	bench/downloads.sh

# A 1024×768 WMS GetMap of the demo's GSWA geology and faults beside
# MapServer (Debian's, FastCGI behind nginx) drawing the same map.
bench-wms: deps
	$(call apt_install,wrk curl python3 gdal-bin mapserver-bin cgi-mapserver nginx-light spawn-fcgi)
	bench/wms.sh

# Overzoomed tiles of a dense geological map through the tile handler
# (BenchmarkOverzoomDense): a 3,000-unit synth map cut to zoom 7, or
# OUTCROP_BENCH_OVERZOOM_STORE=DIR holding make bench-fleet's 50,000-unit
# geology.tileset.
bench-overzoom: viewer
	$(GO) test -count=1 -run '^$$' -bench '^BenchmarkOverzoomDense$$' -benchtime 2000x ./server/

clean:
	rm -rf bin build
