/* Files compiled into the binary (templates/, static/, migrations/).
 *
 * The table is generated at build time by cmake/embed.cmake and ends with a
 * NULL path. Every asset's data is followed by a 0 byte not counted in size,
 * so text assets can be used as C strings. */
#ifndef TDKT_LIB_ASSETS_H
#define TDKT_LIB_ASSETS_H

#include <stddef.h>

struct asset {
    const char *path;
    const unsigned char *data;
    size_t size;
};

extern const struct asset assets[];

/* The asset at path, or NULL. */
const struct asset *asset_find(const char *path);

#endif
