/*
 * diag.h - findings: evidence from the tracker's model turned into a cause
 * (CONTRACT.md catalog), a severity, an honest confidence, the frames that
 * prove it, one plain sentence and the fix on the usual gateways.
 */
#ifndef IKELENS_DIAG_H
#define IKELENS_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "src/addr.h"
#include "src/track/track.h"

enum diag_sev { SEV_ERROR = 0, SEV_WARNING, SEV_INFO };
enum diag_conf { CONF_CERTAIN = 0, CONF_LIKELY, CONF_POSSIBLE };

const char *diag_sev_name(enum diag_sev s);
const char *diag_conf_name(enum diag_conf c);

#define DIAG_MAX_ALT 4
#define DIAG_MAX_SAS 16
#define DIAG_MAX_FRAMES 48
#define DIAG_MAX_REMEDY 6

struct diag_remedy {
	const char *vendor; /* "Cisco ASA", "Cisco IOS", "strongSwan", "Huawei", ... */
	char text[320];
};

struct finding {
	unsigned id;	   /* unique in the run, 1-based */
	const char *cause; /* catalog id: "psk_mismatch" ... */
	enum diag_sev severity;
	enum diag_conf confidence;
	unsigned nalt;
	const char *alternatives[DIAG_MAX_ALT];
	unsigned nsa;
	uint8_t sa_ispi[DIAG_MAX_SAS][8], sa_rspi[DIAG_MAX_SAS][8];
	unsigned sa_ids[DIAG_MAX_SAS];
	bool has_esp;
	uint32_t esp_spi;
	struct addr esp_dst;
	unsigned nframes;
	struct tk_ref frames[DIAG_MAX_FRAMES];
	unsigned file;
	char summary[640]; /* one plain sentence (or two) */
	char proof[320];   /* what would make it certain (empty when certain) */
	unsigned nremedy;
	struct diag_remedy remedy[DIAG_MAX_REMEDY];
	struct tk_peer *peer; /* the story it belongs to */
	bool emitted;
	bool merged; /* more than one SA contributed */
};

struct diag;

struct diag *diag_new(void);
void diag_free(struct diag *d);
/*
 * An IKE SA has closed: run the rules on it (with what its peer's story says)
 * and attach finding ids to sa->findings.  Findings of the same cause on the
 * same peer are merged into one.
 */
void diag_sa(struct diag *d, struct tk_sa *sa);
/* How many ESP/AH frames the input held so far (a capture with none may
 * simply have been filtered to IKE). */
void diag_set_esp_seen(struct diag *d, uint64_t n);
uint64_t diag_esp_seen(const struct diag *d);
/* An ESP/AH flow has closed. */
void diag_flow(struct diag *d, struct tk_flow *fl);
/* The end of the input: peer-level rules (flapping ...). */
void diag_finish(struct diag *d);
/* Findings not yet handed out, in id order; marks them emitted. */
const struct finding *diag_next_unemitted(struct diag *d);
/* The highest severity seen (SEV_INFO + 1 when there is none). */
int diag_worst(const struct diag *d);
const struct finding *diag_get(const struct diag *d, unsigned id);
unsigned diag_count(const struct diag *d);

#endif
