/*
 * der.h - just enough DER (X.690) to print a distinguished name
 * (RFC 5280 4.1.2.4) as "C=CH, O=example, CN=gw.example.org".
 */
#ifndef IKELENS_DER_H
#define IKELENS_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns false (buf undefined) when the bytes are not a DER Name. */
bool der_dn_text(const uint8_t *p, size_t n, char *buf, size_t blen);

#endif
