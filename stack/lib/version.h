/* stack/lib/version.h - the version every mip6kit daemon reports. */
#ifndef MIP6_VERSION_H
#define MIP6_VERSION_H
#define MIP6KIT_VERSION	"0.2"
#endif
