// renameat2 is declared only with _GNU_SOURCE, which Swift's Glibc module does not set.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "libgit2_shims.h"

int bm_exchange(int from_directory, const char *from, int to_directory, const char *to) {
#ifdef RENAME_EXCHANGE
    return renameat2(from_directory, from, to_directory, to, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}
