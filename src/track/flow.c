/*
 * flow.c - ESP and AH flows per (destination, SPI, protocol): counts,
 * sequence gaps, reordering and replays (RFC 4303 3.4.3 anti-replay window
 * idea, 2048 packets wide), and the IKE SA each belongs to.
 * No allocation per packet: one struct per flow.
 */
#include <stdlib.h>
#include <string.h>

#include "src/decrypt/kx.h"
#include "src/track/track_int.h"

#define WINDOW 2048u

static uint32_t
flow_hash(const struct addr *dst, uint32_t spi, uint8_t proto)
{
	return (addr_hash(dst) ^ (spi * 2654435761u)) + proto;
}

static void
flow_unlink(struct tracker *tk, struct tk_flow *f)
{
	uint32_t h = flow_hash(&f->dst, f->spi, f->proto) & tk->fl_hash_mask;
	for (struct tk_flow **pp = &tk->fl_hash[h]; *pp; pp = &(*pp)->next_hash)
		if (*pp == f) {
			*pp = f->next_hash;
			break;
		}
	if (f->prev_all)
		f->prev_all->next_all = f->next_all;
	else
		tk->fl_first = f->next_all;
	if (f->next_all)
		f->next_all->prev_all = f->prev_all;
	else
		tk->fl_last = f->prev_all;
	tk->nflows--;
}

static void
flow_close(struct tracker *tk, struct tk_flow *f)
{
	if (tk->ev.flow_closed)
		tk->ev.flow_closed(tk->ev.ctx, f);
	if (f->sa) {
		if (f->sa_prev)
			f->sa_prev->sa_next = f->sa_next;
		else
			f->sa->flows = f->sa_next;
		if (f->sa_next)
			f->sa_next->sa_prev = f->sa_prev;
	}
	flow_unlink(tk, f);
	kx_flow_free(f->kx);
	free(f);
}

/* The newest IKE SA between the flow's peers (an SA that negotiated the SPI
 * would be better; decryption links those). */
static struct tk_sa *
sa_for_peers(struct tracker *tk, const struct addr *x, const struct addr *y)
{
	struct tk_peer *p = tk_peer_find(tk, x, y);
	return p ? p->sa_last : NULL;
}

static void
seq_update(struct tk_flow *f, uint32_t seq)
{
	if (f->packets == 1) {
		f->seq_first = f->seq_max = seq;
		memset(f->bitmap, 0, sizeof f->bitmap);
		f->bitmap[0] = 1;
		f->seq_unique = 1;
		return;
	}
	if (seq > f->seq_max) {
		uint32_t d = seq - f->seq_max;
		if (d >= WINDOW) {
			memset(f->bitmap, 0, sizeof f->bitmap);
		} else {
			/* shift the window: bit i stands for seq_max - i */
			unsigned words = d / 64, bits = d % 64;
			for (int i = 31; i >= 0; i--) {
				uint64_t v = 0;
				int src = i - (int)words;
				if (src >= 0) {
					v = f->bitmap[src] << bits;
					if (bits && src >= 1)
						v |= f->bitmap[src - 1] >> (64 - bits);
				}
				f->bitmap[i] = v;
			}
		}
		f->bitmap[0] |= 1;
		f->seq_max = seq;
		f->seq_unique++;
		return;
	}
	uint32_t d = f->seq_max - seq;
	if (seq < f->seq_first)
		f->seq_first = seq;
	if (d >= WINDOW) {
		/* too old to tell a replay from a late packet */
		f->reordered++;
		f->seq_unique++;
		return;
	}
	uint64_t bit = 1ull << (d % 64);
	if (f->bitmap[d / 64] & bit) {
		f->replays++;
		return;
	}
	f->bitmap[d / 64] |= bit;
	f->reordered++;
	f->seq_unique++;
}

void
tk_esp(struct tracker *tk, const struct cap_frame *f, uint8_t proto, uint32_t spi, uint32_t seq,
       struct tk_info *info)
{
	tk_time now = tk_time_of(f);
	tk->now = now;
	uint32_t h = flow_hash(&f->dst, spi, proto) & tk->fl_hash_mask;
	struct tk_flow *fl = tk->fl_hash[h];
	for (; fl; fl = fl->next_hash)
		if (fl->spi == spi && fl->proto == proto && addr_eq(&fl->dst, &f->dst))
			break;
	if (!fl) {
		if (tk->nflows >= tk->lim.max_flows && tk->fl_first)
			flow_close(tk, tk->fl_first);
		fl = calloc(1, sizeof *fl);
		if (!fl)
			return;
		fl->spi = spi;
		fl->proto = proto;
		fl->src = f->src;
		fl->dst = f->dst;
		fl->sport = f->sport;
		fl->dport = f->dport;
		fl->udp_encap = f->udp_encap;
		fl->first.file = f->file;
		fl->first.frame = f->num;
		fl->first.t = now;
		fl->next_hash = tk->fl_hash[h];
		tk->fl_hash[h] = fl;
		fl->prev_all = tk->fl_last;
		if (tk->fl_last)
			tk->fl_last->next_all = fl;
		else
			tk->fl_first = fl;
		tk->fl_last = fl;
		tk->nflows++;
	}
	fl->last.file = f->file;
	fl->last.frame = f->num;
	fl->last.t = now;
	fl->packets++;
	fl->bytes += f->wire_len;
	seq_update(fl, seq);

	if (!fl->sa && !fl->sa_id) {
		fl->sa = sa_for_peers(tk, &f->src, &f->dst);
		if (fl->sa) {
			fl->sa_next = fl->sa->flows;
			if (fl->sa->flows)
				fl->sa->flows->sa_prev = fl;
			fl->sa->flows = fl;
			fl->sa_basis = "peers";
			fl->sa_id = fl->sa->id;
			memcpy(fl->sa_ispi, fl->sa->ispi, 8);
			memcpy(fl->sa_rspi, fl->sa->rspi, 8);
		}
	}
	if (fl->sa) {
		struct tk_sa *sa = fl->sa;
		uint8_t side = addr_eq(&f->src, &sa->side[TK_I].addr) ? TK_I : TK_R;
		if (sa->esp_pkts[0] + sa->esp_pkts[1] == 0)
			sa->esp_first = fl->last;
		sa->esp_pkts[side]++;
	}
	if (info) {
		info->flow = fl;
		info->sa = fl->sa;
	}
}

void
tk_flows_sweep(struct tracker *tk, tk_time now, bool all)
{
	tk_time idle = (tk_time)tk->lim.idle_timeout_s * 1000000;
	struct tk_flow *f = tk->fl_first;
	while (f) {
		struct tk_flow *n = f->next_all;
		if (all || now - f->last.t > idle)
			flow_close(tk, f);
		f = n;
	}
}

void
tk_flows_free(struct tracker *tk)
{
	struct tk_flow *f = tk->fl_first;
	while (f) {
		struct tk_flow *n = f->next_all;
		kx_flow_free(f->kx);
		free(f);
		f = n;
	}
	tk->fl_first = tk->fl_last = NULL;
}
