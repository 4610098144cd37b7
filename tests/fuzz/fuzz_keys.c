/*
 * fuzz_keys.c - libFuzzer target for the key-file readers: the bytes are a
 * whole key file, given to keys_load_buffer() on a fresh store, so format
 * recognition and every parser (Wireshark tables, charon logs text and
 * json, tcpdump/libreswan lines, ip xfrm state, the native file with its
 * PSK lines) see hostile input.  The buffer is copied to one of exactly its
 * size so any over-read trips ASan.  When something loaded, the lookups
 * and the summary run over it too, with SPIs and addresses taken from the
 * input.
 *
 * Good seeds: the key files and charon logs in tests/pcaps/, and the key
 * files of the shared corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/keys/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	if (size)
		memcpy(buf, data, size);

	struct kx_store *ks = keys_new();
	char err[512];
	if (ks != NULL && keys_load_buffer(ks, "fuzz.keys", buf, size, err, sizeof err) == 0) {
		uint8_t a[8] = {0}, b[8] = {0};
		memcpy(a, data, size < 8 ? size : 8);
		if (size > 8)
			memcpy(b, data + 8, size - 8 < 8 ? size - 8 : 8);
		struct addr x, y;
		memset(&x, 0, sizeof x);
		memset(&y, 0, sizeof y);
		addr_set4(&x, a);
		addr_set4(&y, b);
		uint32_t spi =
		    (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
		(void)keys_ike1(ks, a, b);
		(void)keys_ike1(ks, a, NULL);
		(void)keys_ike2(ks, a, b);
		(void)keys_esp(ks, spi, &x, &y);
		(void)keys_esp(ks, spi, NULL, NULL);
		for (unsigned i = 0; i < ks->nesp && i < 4; i++)
			(void)keys_esp(ks, ks->esp[i].spi, &ks->esp[i].src, &ks->esp[i].dst);
		for (unsigned n = 0; n < 4; n++) {
			(void)keys_psk(ks, &x, "fuzz.example.com", n);
			(void)keys_dhpriv(ks, &x, 14, n);
		}
		char sum[256];
		keys_summary(ks, sum, sizeof sum);
	}
	keys_free(ks);
	free(buf);
	return 0;
}

#ifdef FUZZ_MAIN
#include "tests/fuzz/replay_main.h"
#endif
