// SPDX-License-Identifier: GPL-2.0
/*
 * The classify module under the host's verifier: name lists (prefixes),
 * read/write-intensive marks with hysteresis from measured rates, the
 * class queue they give, and a boost as an earlier key.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include TSR_COMPOSE_H
#include "tests/lib/host_task.h"
#include "modules/classify/names.h"
#include "queue_test.skel.h"

static struct queue_test *skel;

struct cls_args {
	char comm[CLS_NAME_LEN];
	uint32_t flags;
	uint32_t set_flags;
	uint64_t rd_mbps, wr_mbps;
	uint32_t vectordb, bwtest;
	uint32_t out_flags;
	uint32_t cls;
	uint64_t key;
};

static void set_list(const char *list, volatile char (*dst)[CLS_NAME_LEN], volatile uint32_t *nr)
{
	char names[CLS_MAX_NAMES][CLS_NAME_LEN], err[256];
	unsigned int n;

	cr_assert_eq(classify_parse_names(list, names, &n, err, sizeof(err)), 0, "%s", err);
	for (int i = 0; i < CLS_MAX_NAMES; i++)
		for (int j = 0; j < CLS_NAME_LEN; j++)
			dst[i][j] = names[i][j];
	*nr = n;
}

static void setup(void)
{
	skel = queue_test__open();
	cr_assert_not_null(skel);
	set_list("python,faiss,milvus,weaviate", skel->rodata->classify_vdb_names,
		 &skel->rodata->classify_nr_vdb_names);
	set_list("double_bandwidt,memtest,stress", skel->rodata->classify_bwt_names,
		 &skel->rodata->classify_nr_bwt_names);
	skel->rodata->tsr_slice_ns = 20000000;
	cr_assert_eq(queue_test__load(skel), 0,
		     "loading classify test programs: %s (root and BPF arenas needed)",
		     strerror(errno));
	cr_assert_not_null(
		tsr_test_task_record(&skel->arena->tsr_task_slab, skel->progs.tsr_alloc_pages));
}

static void teardown(void)
{
	queue_test__destroy(skel);
}

static struct cls_args op(const char *comm, int64_t flags, uint64_t rd, uint64_t wr)
{
	struct cls_args a = { .flags = flags < 0 ? 0 : flags,
			      .set_flags = flags >= 0,
			      .rd_mbps = rd,
			      .wr_mbps = wr };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	strncpy(a.comm, comm, sizeof(a.comm) - 1);
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.cls_op), &opts), 0);
	return a;
}

TestSuite(classify_bpf, .init = setup, .fini = teardown);

Test(classify_bpf, names_match_as_prefixes)
{
	cr_expect_eq(op("python3", 0, 0, 0).vectordb, 1);
	cr_expect_eq(op("faiss_worker", 0, 0, 0).vectordb, 1);
	cr_expect_eq(op("pytho", 0, 0, 0).vectordb, 0, "shorter than the name");
	cr_expect_eq(op("bash", 0, 0, 0).vectordb, 0);
	cr_expect_eq(op("stress-ng", 0, 0, 0).bwtest, 1);
	cr_expect_eq(op("double_bandwidt", 0, 0, 0).bwtest, 1, "the kernel's 15 characters");
	cr_expect_eq(op("memtest", 0, 0, 0).vectordb, 0);
}

Test(classify_bpf, rates_mark_with_hysteresis_and_pick_the_queue)
{
	struct cls_args a = op("dd", 0, 90, 0);

	cr_expect_eq(a.out_flags, CLS_F_READ);
	cr_expect_eq(a.cls, CLS_READ);
	a = op("dd", -1, 60, 0);
	cr_expect_eq(a.cls, CLS_READ, "60 MB/s: still read-intensive");
	a = op("dd", -1, 50, 0);
	cr_expect_eq(a.cls, CLS_FALLBACK, "below 56 MB/s: no longer");
	a = op("dd", -1, 0, 200);
	cr_expect_eq(a.cls, CLS_WRITE);
	a = op("faiss", CLS_F_VECTORDB, 0, 200);
	cr_expect_eq(a.cls, CLS_VECTORDB, "VectorDB first, whatever it writes");
}

Test(classify_bpf, a_boost_is_an_earlier_key)
{
	uint64_t plain = op("x", 0, 0, 0).key;
	uint64_t vdb = op("x", CLS_F_VECTORDB, 0, 0).key;
	uint64_t most = op("x", ~0U & ~CLS_F_READ & ~CLS_F_WRITE, 0, 0).key;

	cr_expect_eq(plain - vdb, 25 * 20000000ULL / 100, "25 points: a quarter slice earlier");
	cr_expect_eq(plain - most, (CLS_BOOST_MAX - CLS_BOOST_INTENSIVE) * 20000000ULL / 100);
}
