/*
 * keys.h - key material from the user: files in any supported format
 * (recognised from their content) and pre-shared keys.  The result is the
 * key store the decryption layer reads.  Secrets stay in memory only, are
 * never printed, and are wiped when the store is freed.
 */
#ifndef IKELENS_KEYS_H
#define IKELENS_KEYS_H

#include <stddef.h>

struct cli;
struct kx_store;

/* Loads every --keys file, --psk and --psk-file.  NULL and one line in err
 * on an unreadable or unrecognised file. */
struct kx_store *keys_load(const struct cli *c, char *err, size_t errlen);
void keys_free(struct kx_store *ks);

#endif
