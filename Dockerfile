# syntax=docker/dockerfile:1
# e-Należności: the `naleznosci` server with the web app (frontend/dist) on a slim runtime.
#
#   docker build -t naleznosci .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://… -e NALEZNOSCI_WK_… naleznosci   (serve; README:
#                                                  "Configuration of a real municipality")
#   docker run -p 8080:8080 naleznosci demo --serve --bind 0.0.0.0:8080       (the embedded demo)
#
# docker-compose.yml runs two replicas behind a reverse proxy with PostgreSQL and an MS SQL
# Server domain system. The recipe of the build is shared/design/TOOLCHAIN.md (§0, §1d).

# --- 1. Build: the SPA (Leptos → WASM, wasm-bindgen, wasm-opt) and the server ------------------
FROM rust:1.95-bookworm AS build
# The image's toolchain (the project's, TOOLCHAIN.md) rather than whatever "stable" is today.
ENV DEBIAN_FRONTEND=noninteractive CARGO_TERM_COLOR=never RUSTUP_TOOLCHAIN=1.95.0
# samael/xmlsec (login node signatures) needs the xmlsec and libclang headers at build time;
# npm brings wasm-opt (binaryen 132; Debian's 108 produces a broken module).
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libssl-dev libxmlsec1-dev libxml2-dev libclang-dev nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first (a layer that survives source edits): the manifests, lock files and the
# npm tools.
COPY rust-toolchain.toml Cargo.toml Cargo.lock package.json package-lock.json ./
RUN rustup target add wasm32-unknown-unknown \
 && npm ci --no-audit --no-fund --silent
COPY . .
# scripts/build-frontend.sh installs wasm-bindgen-cli of the version frontend/Cargo.lock names.
RUN bash scripts/build-frontend.sh \
 && cargo build --release --locked -p server --bin naleznosci \
 && cp target/release/naleznosci /usr/local/bin/naleznosci

# --- 2. Runtime: the binary, the SPA and the libraries samael links (xmlsec1 with OpenSSL) ------
FROM debian:bookworm-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends libxmlsec1 libxmlsec1-openssl libxml2 libssl3 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/naleznosci --create-home naleznosci \
 && mkdir -p /var/lib/naleznosci/data /var/lib/naleznosci/exchange \
 && chown -R naleznosci:naleznosci /var/lib/naleznosci
COPY --from=build /usr/local/bin/naleznosci /usr/local/bin/naleznosci
COPY --from=build /src/frontend/dist /usr/share/naleznosci/spa
ENV NALEZNOSCI_SPA_DIR=/usr/share/naleznosci/spa \
    DATABASE_URL=sqlite:///var/lib/naleznosci/data/naleznosci.db?mode=rwc \
    NALEZNOSCI_LOG=info,sqlx=warn,sea_orm=warn \
    TZ=Europe/Warsaw
USER naleznosci
WORKDIR /var/lib/naleznosci
EXPOSE 8080
VOLUME ["/var/lib/naleznosci/data", "/var/lib/naleznosci/exchange"]
# No curl in the slim image: bash's /dev/tcp asks /health.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"]
ENTRYPOINT ["naleznosci"]
CMD ["serve", "--bind", "0.0.0.0:8080"]
