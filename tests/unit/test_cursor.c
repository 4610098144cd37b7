/* test_cursor.c - the bounds-checked reader everything else relies on. */
#include "dissect/cursor.h"
#include "tests/unit/check.h"

int
main(void)
{
	static const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
	struct cur c = cur_make(b, sizeof b);

	CHECK_EQ(cur_u8(&c), 0x01);
	CHECK_EQ(cur_be16(&c), 0x0203);
	CHECK_EQ(cur_be32(&c), 0x04050607);
	CHECK_EQ(cur_off(&c), 7);
	CHECK_EQ(cur_left(&c), 2);
	CHECK(cur_ok(&c));
	/* a short read: error, zero, cursor drained */
	CHECK_EQ(cur_be32(&c), 0);
	CHECK(!cur_ok(&c));
	CHECK_EQ(cur_left(&c), 0);
	/* sticky: later reads keep failing even if they would fit */
	CHECK_EQ(cur_u8(&c), 0);
	CHECK(!cur_ok(&c));

	/* sub-cursors consume from the parent and keep offsets of the base */
	c = cur_make(b, sizeof b);
	cur_skip(&c, 2);
	struct cur s = cur_sub(&c, 3);
	CHECK(cur_ok(&s));
	CHECK_EQ(cur_off(&s), 2);
	CHECK_EQ(cur_be24(&s), 0x030405);
	CHECK_EQ(cur_left(&s), 0);
	CHECK_EQ(cur_u8(&c), 0x06);
	/* a sub longer than what is left fails both */
	s = cur_sub(&c, 10);
	CHECK(!cur_ok(&s));
	CHECK(!cur_ok(&c));
	CHECK_EQ(cur_u8(&s), 0);

	/* cur_sub_upto: truncated data is not an error */
	c = cur_make(b, sizeof b);
	bool shrt = false;
	s = cur_sub_upto(&c, 20, &shrt);
	CHECK(shrt);
	CHECK(cur_ok(&c));
	CHECK_EQ(cur_left(&s), sizeof b);

	/* byte runs */
	c = cur_make(b, sizeof b);
	const uint8_t *r = cur_bytes(&c, 4);
	CHECK(r == b);
	CHECK(cur_bytes(&c, 6) == NULL);
	CHECK(cur_bytes(&c, 0) == NULL); /* sticky error */

	/* 64-bit and little-endian readers */
	c = cur_make(b, sizeof b);
	CHECK(cur_be64(&c) == 0x0102030405060708ull);
	c = cur_make(b, sizeof b);
	CHECK_EQ(cur_le32(&c), 0x04030201);
	CHECK_EQ(cur_le16(&c), 0x0605);

	/* an empty buffer (even NULL) is safe */
	c = cur_make(NULL, 0);
	CHECK_EQ(cur_u8(&c), 0);
	CHECK(!cur_ok(&c));

	return check_done("cursor");
}
