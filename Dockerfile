# One image for every service and the ops CLI; the command picks which one runs.
# syntax=docker/dockerfile:1
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
RUN npm ci --no-audit --no-fund
RUN npx tsc -b && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--disable-warning=TimeoutNegativeWarning \
    KAFKAJS_NO_PARTITIONER_WARNING=1 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/services ./services
COPY fixtures ./fixtures
USER node
# e.g. `node services/ingest/dist/main.js`, `node services/ops/dist/cli.js migrate`
CMD ["node", "services/query/dist/main.js"]
