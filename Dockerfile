# syntax=docker/dockerfile:1
# keywatch: one image for the CLI (`keywatch run|replay|demo|…`) and every Kafka role
# (`keywatch-worker --role normalize|detect|dispatch`). See deploy/README.md for building and publishing.
#
#   docker build -t keywatch:dev .
#   docker run --rm keywatch:dev keywatch demo --days 3
#   docker run --rm -v "$PWD/trail:/data:ro" -v kw-state:/var/lib/keywatch keywatch:dev \
#     keywatch run --input '/data/*.json.gz' --state /var/lib/keywatch/state.db --alerts-out -

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- install: production dependencies from the lockfile (no build step: Node 24 runs the TypeScript)
FROM ${NODE_IMAGE} AS install
WORKDIR /app
COPY . .
RUN bash deploy/image/install.sh \
 && rm -rf test deploy/compose deploy/kubernetes

# ---- runtime
FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="keywatch" \
      org.opencontainers.image.description="Watches how every API key is used and raises an alert when one behaves like it has been stolen" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/keywatch/keywatch" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# tini is PID 1: it forwards SIGTERM to node (the workers commit their batch and leave the group) and reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=install --chown=root:root /app /app
RUN ln -s /app/services/cli/bin/keywatch.mjs /usr/local/bin/keywatch \
 && ln -s /app/services/worker/bin/keywatch-worker.mjs /usr/local/bin/keywatch-worker \
 && mkdir -p /var/lib/keywatch \
 && chown node:node /var/lib/keywatch
# The root filesystem can be read-only: state, queue and alert files go to this volume (or stdout).
VOLUME ["/var/lib/keywatch"]
WORKDIR /var/lib/keywatch
ENV NODE_ENV=production
# The `node` user of the base image (uid 1000): never root.
USER 1000:1000
EXPOSE 9464
# Workers answer /healthz on their ops port (http.port, or KEYWATCH_HTTP__PORT); a one-shot CLI container has no port and reports unhealthy only
# if someone runs it long enough to be probed, which `keywatch run` does not need.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.KEYWATCH_HTTP__PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["keywatch", "--help"]
