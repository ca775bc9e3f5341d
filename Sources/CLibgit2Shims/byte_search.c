// glibc's memmem (a GNU extension Swift's Glibc module does not declare): a substring search
// that runs at memory speed, for scanning logs of hundreds of megabytes.
#define _GNU_SOURCE
#include <string.h>

#include "libgit2_shims.h"

const void *bm_memmem(const void *haystack, unsigned long haystack_length, const void *needle,
                      unsigned long needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
