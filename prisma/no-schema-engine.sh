#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded on
# machines without internet. `prisma generate` only checks that the file
# exists; migrations are applied by our own migrator, never by this engine.
echo "schema engine not installed: use npm run db:migrate" >&2
exit 1
