# syntax=docker/dockerfile:1
# Relais production image. One image for the web process (default command) and the worker
# (`node dist/src/worker.js`). Build with Chromium for a worker that runs WhatsApp:
#   docker build --build-arg WITH_CHROMIUM=true -t relais:whatsapp .

# ---- build: dev dependencies, Prisma client generation, TypeScript → dist/
FROM node:20-slim AS build
WORKDIR /app
# whatsapp-web.js pulls in puppeteer: never download its browser (Debian's Chromium is used)
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
# postinstall generates the Prisma client into src/generated
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-build-assets.mjs ./scripts/copy-build-assets.mjs
COPY locales ./locales
COPY staff-locales ./staff-locales
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: production dependencies and dist/ only, as the unprivileged `node` user
FROM node:20-slim AS runtime
ARG WITH_CHROMIUM=false
# DejaVu Sans draws the labels of the impact chart (resvg reads the system fonts; slim has none)
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get install -y --no-install-recommends chromium fonts-noto-color-emoji; \
    fi \
 && rm -rf /var/lib/apt/lists/*
# MALLOC_ARENA_MAX=2: glibc keeps fewer malloc arenas for V8's helper threads (~10 MB less RSS
# per process, no measurable cost: docs/BENCHMARKS.md)
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    CHROMIUM_PATH=/usr/bin/chromium \
    WHATSAPP_DATA_DIR=/app/data/whatsapp
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist
# the WhatsApp session lives here (mount a volume); everything else is read-only for the app
RUN mkdir -p /app/data/whatsapp && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
