# syntax=docker/dockerfile:1
# Portrait Live, one container. Built from this folder by whoever runs it (there is no
# published image): `docker compose up -d --build`, or `docker build -t portrait-live .`.
# Written for Node 22 (LTS) on Debian 12 "bookworm", slim variant.
# No build argument carries a secret: the key and passwords reach the container at run time.

# 1. Dependencies, dev ones included (the build needs TypeScript and Tailwind).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# postinstall copies the face detector's weights into public/models.
COPY scripts/copy-face-models.mjs scripts/
RUN npm install --no-audit --no-fund

# 2. The standalone build: the front door (server.mjs) plus only the node_modules the server uses.
FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN node scripts/build-standalone.mjs

# 3. What runs: the front door in front of the standalone server, no sources, no dev
#    dependencies, no npm install. It checks each request's Host (ALLOWED_HOSTS,
#    PUBLIC_BASE_URL), takes the client's address from the connection (or from
#    TRUSTED_PROXIES) and refuses unsupported methods before Next sees it.
FROM node:22-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    DATA_DIR=/data
# The app's files stay root-owned (read-only to the server); only /data is writable.
RUN mkdir /data && chown node:node /data
# As listed in image-files.json (tests/unit/container-files.test.ts keeps them in step).
COPY --from=build /app/.next/standalone /app/
COPY --from=build /app/.next/static /app/.next/static
COPY --from=build /app/public /app/public
USER node
VOLUME /data
EXPOSE 3000
# By IP literal, which the Host check always accepts (a name would need ALLOWED_HOSTS).
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.mjs"]
