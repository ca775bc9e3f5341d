#ifndef BM_LIBGIT2_SHIMS_H
#define BM_LIBGIT2_SHIMS_H

/// While deferring, libgit2's start-up load of the system CA bundle is recorded, not parsed.
void bm_certificates_defer(int enabled);

/// Parses a CA bundle whose load was deferred, into the chain libgit2 gave it. Returns 0 on
/// success or when nothing was deferred, the mbedTLS error otherwise.
int bm_certificates_load_deferred(void);

/// GIT_OPT_SET_CACHE_MAX_SIZE: the object cache's bound, in bytes.
int bm_libgit2_set_cache_max_size(long bytes);

/// GIT_OPT_SET_MWINDOW_MAPPED_LIMIT: how much pack data may be mapped at once, in bytes.
int bm_libgit2_set_mwindow_mapped_limit(unsigned long bytes);

/// GIT_OPT_SET_MWINDOW_SIZE: the size of each mapped window of a pack file, in bytes.
int bm_libgit2_set_mwindow_size(unsigned long bytes);

/// GIT_OPT_ENABLE_CACHING: whether parsed objects are cached.
int bm_libgit2_enable_caching(int enabled);

/// GIT_OPT_SET_CACHE_OBJECT_LIMIT: the largest object of `type` (a git_object_t) to cache.
int bm_libgit2_set_cache_object_limit(int type, unsigned long bytes);

/// GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION: whether every object read is hashed again to check it.
int bm_libgit2_enable_strict_hash_verification(int enabled);

/// The first occurrence of `needle` in `haystack`, or NULL (glibc's memmem).
const void *bm_memmem(const void *haystack, unsigned long haystack_length, const void *needle,
                      unsigned long needle_length);

/// Keeps freed heap memory for reuse instead of unmapping or trimming it after every large free.
void bm_keep_freed_memory(void);

/// Swaps two paths atomically (renameat2 with RENAME_EXCHANGE); -1 with errno when it cannot.
int bm_exchange(int from_directory, const char *from, int to_directory, const char *to);

#endif
