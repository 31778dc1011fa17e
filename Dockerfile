# Accord: one container, embedded SQLite under /data.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=build /app /app
# /keys: where ACCORD_KEY_FILE can point, a volume apart from the data (README, "Keep the key away from the database").
RUN mkdir -p /data /keys && chown node:node /data /keys && chmod 700 /keys
VOLUME ["/data"]
EXPOSE 3000
USER node
CMD ["node", "--max-semi-space-size=4", "dist/node/server/main.js"]
