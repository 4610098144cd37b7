/* test_addr.c - address text forms (RFC 5952 section 4 examples). */
#include "src/addr.h"
#include "tests/unit/check.h"

static const char *
roundtrip(const char *in, char *buf, size_t n)
{
	struct addr a;
	if (!addr_parse(in, &a))
		return "(parse failed)";
	return addr_str(&a, buf, n);
}

int
main(void)
{
	char b[ADDR_STRLEN];
	CHECK_STR(roundtrip("198.51.100.7", b, sizeof b), "198.51.100.7");
	CHECK_STR(roundtrip("2001:db8:0:0:0:0:2:1", b, sizeof b), "2001:db8::2:1");
	CHECK_STR(roundtrip("2001:db8:0:1:1:1:1:1", b, sizeof b), "2001:db8:0:1:1:1:1:1");
	CHECK_STR(roundtrip("2001:0:0:1:0:0:0:1", b, sizeof b), "2001:0:0:1::1");
	CHECK_STR(roundtrip("2001:db8:0:0:1:0:0:1", b, sizeof b), "2001:db8::1:0:0:1");
	CHECK_STR(roundtrip("2001:DB8::AAAA", b, sizeof b), "2001:db8::aaaa");
	CHECK_STR(roundtrip("::", b, sizeof b), "::");
	CHECK_STR(roundtrip("::1", b, sizeof b), "::1");
	CHECK_STR(roundtrip("fe80::", b, sizeof b), "fe80::");
	CHECK_STR(roundtrip("::ffff:192.0.2.1", b, sizeof b), "::ffff:192.0.2.1");
	struct addr x, y;
	CHECK(addr_parse("192.0.2.1", &x));
	CHECK(addr_parse("192.0.2.1", &y));
	CHECK(addr_eq(&x, &y));
	CHECK_EQ(addr_hash(&x), addr_hash(&y));
	CHECK(!addr_parse("192.0.2", &x));
	return check_done("addr");
}
