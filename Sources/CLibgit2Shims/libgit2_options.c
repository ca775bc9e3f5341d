// git_libgit2_opts is variadic, which Swift cannot call; these fixed-signature wrappers can.
#include <git2.h>
#include <sys/types.h>

#include "libgit2_shims.h"

int bm_libgit2_set_cache_max_size(long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

int bm_libgit2_set_mwindow_mapped_limit(unsigned long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)bytes);
}

int bm_libgit2_set_mwindow_size(unsigned long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)bytes);
}

int bm_libgit2_enable_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}

int bm_libgit2_set_cache_object_limit(int type, unsigned long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, (git_object_t)type, (size_t)bytes);
}

int bm_libgit2_enable_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
