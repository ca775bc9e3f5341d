// glibc's mallopt is declared in <malloc.h>, which Swift's Glibc module does not import.
#include <malloc.h>

#include "libgit2_shims.h"

void bm_keep_freed_memory(void) {
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}
