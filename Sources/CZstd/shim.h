#ifndef PALIMPSEST_CZSTD_SHIM_H
#define PALIMPSEST_CZSTD_SHIM_H
#include <zstd.h>
#endif
