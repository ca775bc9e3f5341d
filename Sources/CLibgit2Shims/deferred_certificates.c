// libgit2 1.5 built with mbedTLS (as Debian ships it) parses the whole system CA bundle inside
// git_libgit2_init: about 50 million instructions, more than half of what a pre-push check costs.
// Only https transfers need it. This file interposes mbedtls_x509_crt_parse_file (the dynamic
// linker binds libgit2's call to the executable's definition first) so that, while deferring,
// the call is recorded and answered with success; the first network operation then parses the
// bundle into the very chain libgit2 installed. When deferring is off, calls pass straight
// through to mbedTLS.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include "libgit2_shims.h"

typedef int (*parse_file_fn)(void *chain, const char *path);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int deferring;
static void *deferred_chain;
static const char *deferred_path;

static parse_file_fn real_parse_file(void) {
    static parse_file_fn real;
    if (!real) real = (parse_file_fn)dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
    return real;
}

int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    pthread_mutex_lock(&lock);
    if (deferring && !deferred_chain) {
        deferred_chain = chain;
        deferred_path = path;  // libgit2 passes its compiled-in default, a static string
        pthread_mutex_unlock(&lock);
        return 0;
    }
    pthread_mutex_unlock(&lock);
    parse_file_fn real = real_parse_file();
    return real ? real(chain, path) : -1;
}

void bm_certificates_defer(int enabled) {
    pthread_mutex_lock(&lock);
    deferring = enabled;
    pthread_mutex_unlock(&lock);
}

int bm_certificates_load_deferred(void) {
    pthread_mutex_lock(&lock);
    void *chain = deferred_chain;
    const char *path = deferred_path;
    deferred_chain = NULL;
    pthread_mutex_unlock(&lock);
    if (!chain) return 0;
    parse_file_fn real = real_parse_file();
    return real ? real(chain, path) : -1;
}
