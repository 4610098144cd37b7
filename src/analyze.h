/*
 * analyze.h - one run: frames from the capture layer go through the
 * dissector and the tracker, and every output sees the same packet views,
 * SAs, flows and findings in the same order.
 */
#ifndef IKELENS_ANALYZE_H
#define IKELENS_ANALYZE_H

#include <stdbool.h>

#include "src/capture/capture.h"
#include "src/output/out.h"

struct analysis;
struct cli;
struct kx_store;

struct analysis *an_new(const struct cli *c, struct out **outs, unsigned nouts);
void an_free(struct analysis *an);
/* Key material for decryption (owned by the caller). */
void an_set_keys(struct analysis *an, struct kx_store *ks);
/* --write-decrypted: inner packets of decrypted ESP as a raw-IP pcap. */
int an_write_decrypted(struct analysis *an, const char *path, char *err, size_t errlen);
/* The handler to give cap_loop(). */
const struct cap_handler *an_handler(struct analysis *an);
/* Account for an input's stats (frames read ...). */
void an_add_stats(struct analysis *an, const struct cap_stats *st);
/* After every input: closes everything, runs the end-of-run rules, tells the
 * outputs, and returns the exit status (0 or 1, CONTRACT.md). */
int an_finish(struct analysis *an);
/* For the TUI: the tracker and the findings. */
struct tracker *an_tracker(struct analysis *an);
struct diag *an_diag(struct analysis *an);
void an_set_live(struct analysis *an, bool live);

#endif
