/*
 * report_redact.h - what a report that leaves the building must not show.
 *
 * Always: a local path given on the command line (a capture, a key file)
 * appears by its base name only, also inside text that quotes it ("file:line"
 * origins of pre-shared keys).
 *
 * With --redact, in addition: every IPv4/IPv6 address and every identity is
 * replaced, consistently within one report, by a placeholder assigned in the
 * order the report first shows it: IKE peers (addresses that sent or received
 * IKE, ESP or AH) become peer-A, peer-B, ...; any other address (traffic
 * selectors, addresses only quoted in a sentence) addr-1, addr-2, ...;
 * identities id-1, id-2, ...  A prefix length or a port next to an address
 * stays (addr-1/24).  The unspecified and all-ones addresses and netmasks
 * are not identifying and stay.  SPIs and cookies are random and stay: they
 * match the gateways' logs.
 */
#ifndef IKELENS_REPORT_REDACT_H
#define IKELENS_REPORT_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include "src/addr.h"

struct rr;

struct rr *rr_new(bool redact);
void rr_free(struct rr *r);
bool rr_redacting(const struct rr *r);

/* Before rendering: an address seen as an IKE/ESP endpoint. */
void rr_peer(struct rr *r, const struct addr *a);
/* An identity as the wire showed it (tk_sa.id_text); text made only of
 * addresses (ID_IPV4_ADDR, subnets, ranges) is left to the address map. */
void rr_identity(struct rr *r, const char *id);
/* A local path from the command line; shown as its base name. */
void rr_path(struct rr *r, const char *path);

/* Identities beyond the cap were refused: free text may show them. */
bool rr_incomplete(const struct rr *r);

/* An address as the report shows it. */
const char *rr_addr(struct rr *r, const struct addr *a, char *buf, size_t len);
/* An identity as the report shows it. */
const char *rr_id(struct rr *r, const char *id, char *buf, size_t len);
/* Free text (finding summaries, remedies, selectors, key origins): paths
 * cut to base names and, when redacting, identities and addresses replaced.
 * Returns out (always NUL-terminated, cut to outlen). */
char *rr_text(struct rr *r, const char *in, char *out, size_t outlen);

/* The part of a path after its last '/'. */
const char *rr_basename(const char *path);

#endif
