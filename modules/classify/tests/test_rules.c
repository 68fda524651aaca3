// SPDX-License-Identifier: GPL-2.0
/* Classes, boosts, hysteresis and name lists. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "modules/classify/names.h"

Test(rules, class_of_marks)
{
	cr_expect_eq(classify_class_of(0, 0, 0), CLS_FALLBACK);
	cr_expect_eq(classify_class_of(CLS_F_BWTEST | CLS_F_LATENCY, 0, 0), CLS_FALLBACK);
	cr_expect_eq(classify_class_of(CLS_F_VECTORDB | CLS_F_WRITE, 0, 900), CLS_VECTORDB);
	cr_expect_eq(classify_class_of(CLS_F_READ, 100, 0), CLS_READ);
	cr_expect_eq(classify_class_of(CLS_F_WRITE, 0, 100), CLS_WRITE);
	cr_expect_eq(classify_class_of(CLS_F_READ | CLS_F_WRITE, 80, 120), CLS_WRITE,
		     "both: the heavier direction");
	cr_expect_eq(classify_class_of(CLS_F_READ | CLS_F_WRITE, 120, 80), CLS_READ);
}

Test(rules, boosts_are_the_seeds_points)
{
	cr_expect_eq(classify_boost(0), 0);
	cr_expect_eq(classify_boost(CLS_F_BWTEST), 30);
	cr_expect_eq(classify_boost(CLS_F_VECTORDB), 25);
	cr_expect_eq(classify_boost(CLS_F_LATENCY), 25);
	cr_expect_eq(classify_boost(CLS_F_PROMOTED | CLS_F_KWORKER), 20);
	cr_expect_eq(classify_boost(CLS_F_READ | CLS_F_WRITE), 15, "intensive counts once");
	cr_expect_eq(classify_boost(CLS_F_LOCALITY), 5);
	cr_expect_eq(classify_boost(~0U), CLS_BOOST_MAX);
	cr_expect_eq(classify_boost_ns(50, 20000000), 10000000, "50 points: half a slice");
}

Test(rules, hysteresis_does_not_flap)
{
	uint32_t f = 0;

	f = classify_hysteresis(f, CLS_F_READ, 70, 70, 56);
	cr_expect_eq(f, 0, "at the threshold: not yet");
	f = classify_hysteresis(f, CLS_F_READ, 71, 70, 56);
	cr_expect_eq(f, CLS_F_READ);
	f = classify_hysteresis(f, CLS_F_READ, 60, 70, 56);
	cr_expect_eq(f, CLS_F_READ, "between the two: kept");
	f = classify_hysteresis(f, CLS_F_READ, 55, 70, 56);
	cr_expect_eq(f, 0, "below the lower: cleared");
	f = classify_hysteresis(CLS_F_WRITE, CLS_F_READ, 99, 70, 56);
	cr_expect_eq(f, CLS_F_WRITE | CLS_F_READ, "other marks untouched");
}

Test(rules, name_lists)
{
	char names[CLS_MAX_NAMES][CLS_NAME_LEN], err[256];
	unsigned int n;

	cr_assert_eq(
		classify_parse_names("python,faiss,milvus,weaviate", names, &n, err, sizeof(err)),
		0);
	cr_expect_eq(n, 4);
	cr_expect_str_eq(names[3], "weaviate");
	cr_expect_eq(names[4][0], 0);
	cr_assert_eq(classify_parse_names("", names, &n, err, sizeof(err)), 0);
	cr_expect_eq(n, 0, "an empty list: no names");
	cr_expect_eq(classify_parse_names("a,,b", names, &n, err, sizeof(err)), -EINVAL);
	cr_expect_str_eq(err, "has an empty name (accepted: up to 16 names, commas between)");
	cr_expect_eq(classify_parse_names("a,", names, &n, err, sizeof(err)), -EINVAL);
	cr_assert_eq(classify_parse_names("double_bandwidth,x", names, &n, err, sizeof(err)), 0);
	cr_expect_str_eq(names[0], "double_bandwidt", "cut to the kernel's 15 characters");
	cr_expect_str_eq(names[1], "x");
	cr_expect_eq(classify_parse_names("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", names, &n, err,
					  sizeof(err)),
		     -EINVAL);
	cr_expect(strstr(err, "more than 16 names"), "%s", err);
}
