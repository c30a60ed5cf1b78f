#!/bin/sh
# Stands in for Prisma's native schema-engine binary, which cannot be downloaded here (and which we
# do not use: migrations are applied by src/migrate and authored with the WebAssembly engine).
# `prisma generate` only asks for the version; anything else must fail loudly, never "succeed".
if [ "$1" = "--version" ]; then
  echo "schema-engine-cli stub (DTSS: native schema engine not installed)"
  exit 0
fi
echo "DTSS: Prisma's native schema engine is not installed. Use packages/db's scripts instead (see packages/db/README.md)." >&2
exit 1
