#ifndef BM_DEFERRED_CERTIFICATES_H
#define BM_DEFERRED_CERTIFICATES_H

/// While deferring, libgit2's start-up load of the system CA bundle is recorded, not parsed.
void bm_certificates_defer(int enabled);

/// Parses a CA bundle whose load was deferred, into the chain libgit2 gave it. Returns 0 on
/// success or when nothing was deferred, the mbedTLS error otherwise.
int bm_certificates_load_deferred(void);

#endif
